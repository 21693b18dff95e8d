/**
 * The first-divergence report (SPEC section 6): compare two runs in one pass,
 * then show the result in a terminal or as stable JSON.
 */
export type { LiveCompareOptions } from './compare-live.js'
export { compareLiveRun } from './compare-live.js'
export { compareRuns, compareSteps } from './compare-runs.js'
export type { PathLocation } from './display.js'
export { relativePath, shortValue } from './display.js'
export { DIVERGENCE_JSON_VERSION, divergenceJson } from './divergence-json.js'
export type { FormatDivergenceOptions } from './format.js'
export { formatDivergence } from './format.js'
export { isRetrievalUrl, sectionOf } from './section.js'
export type {
  CompareOptions,
  Divergence,
  DivergenceKind,
  DivergenceReason,
  DivergenceSection,
  FieldChange,
  RunComparison,
} from './types.js'
export { MAX_DIVERGENCES, MAX_FIELD_CHANGES } from './types.js'
