export { canonicalizeText, canonicalKey, canonicalStringify } from './artifact/canonical-json.js'
export { computeContentHash, computeRunHash, sha256, stableRun, stableStep } from './artifact/hash.js'
export type { PathSegment } from './artifact/json-path.js'
export { formatJsonPath } from './artifact/json-path.js'
export { parseRpk, readRpkFile, unreadable } from './artifact/read.js'
export { rpkSchemaV1, SCHEMA_VERSION } from './artifact/schema/v1.js'
export { removeDeadTemps } from './artifact/temp-files.js'
export type * from './artifact/types.js'
export type { SchemaViolation } from './artifact/validate.js'
export { validateRpk } from './artifact/validate.js'
export type { RpkContent, WriteOptions, WriteResult } from './artifact/write.js'
export {
  assertNoSecrets,
  assertNotSymlink,
  atomicWrite,
  buildRpk,
  serializeRpk,
  writeRpkFile,
} from './artifact/write.js'
export type { DrawProblems, TapeLike } from './determinism/index.js'
export { DrawTape, installDeterminism, withoutRecording } from './determinism/index.js'
export type {
  CompareOptions,
  Divergence,
  DivergenceKind,
  DivergenceReason,
  DivergenceSection,
  FieldChange,
  FormatDivergenceOptions,
  LiveCompareOptions,
  PathLocation,
  RunComparison,
} from './diff/index.js'
export {
  compareLiveRun,
  compareRuns,
  compareSteps,
  DIVERGENCE_JSON_VERSION,
  divergenceJson,
  formatDivergence,
  isRetrievalUrl,
  MAX_DIVERGENCES,
  MAX_FIELD_CHANGES,
  relativePath,
  sectionOf,
  shortValue,
} from './diff/index.js'
export type { BlockNetworkOptions } from './engine/block-network.js'
export { BLOCK_ENV, blockNetwork } from './engine/block-network.js'
export { decodeBody, encodeBody } from './engine/body.js'
export type { CaptureSession } from './engine/capture.js'
export { runCapture, startCaptureSession } from './engine/capture.js'
export type { ExchangeInput } from './engine/exchange-steps.js'
export { exchangeSteps } from './engine/exchange-steps.js'
export { lateRequestError, takeLateProblems } from './engine/late.js'
export type { KeyFunction } from './engine/match-key.js'
export { createKeyFunction } from './engine/match-key.js'
export type { RecordedExchange } from './engine/recording-index.js'
export { exchangesOf, RecordingIndex } from './engine/recording-index.js'
export type {
  CaptureOptions,
  CaptureOutcome,
  CaptureResult,
  LateRequests,
  MatchInput,
  MatchOptions,
  Mode,
  Pacing,
  ReplayProblem,
} from './engine/types.js'
export { MODES } from './engine/types.js'
export { normalizeUrl } from './engine/url.js'
export type { ReplayKitErrorCode, ReplayKitErrorOptions } from './errors.js'
export { isReplayKitError, ReplayKitError } from './errors.js'
export type { AdapterMatch, ProviderAdapter, RequestSummary, ResponseSummary, ToolResult } from './providers/index.js'
export {
  anthropicAdapter,
  findAdapter,
  geminiAdapter,
  openaiAdapter,
  PROVIDER_ADAPTERS,
  parseSseText,
} from './providers/index.js'
export type { CompiledPath, PathSelector, RedactContext, RedactOptions, Redactor } from './redact/index.js'
export {
  compileJsonPath,
  createRedactor,
  DEFAULT_REDACTED_HEADERS,
  DEFAULT_REDACTED_QUERY_PARAMS,
  placeholder,
  redactPrinted,
  redactSecrets,
  removePaths,
  replacePaths,
} from './redact/index.js'
export type { SecretPattern } from './redact/patterns.js'
export { findSecret, SECRET_PATTERNS } from './redact/patterns.js'
export * from './store/index.js'
export { SseParser, serializeSseEvent } from './stream/sse.js'
export { VERSION } from './version.js'
