/**
 * Types of the first-divergence report (SPEC section 6): what differs between a
 * recorded run and a new one, step by step, in plain JSON-friendly objects.
 */
import type { JsonValue, StepKind } from '../artifact/types.js'

/** Where in an LLM app a difference falls, so a reader knows at a glance what changed. */
export type DivergenceSection = 'prompt' | 'tool' | 'model' | 'retrieval' | 'output' | 'http' | 'determinism'

/** A step that differs (`changed`), that the new run no longer makes (`missing`), or that it newly makes (`extra`). */
export type DivergenceReason = 'changed' | 'missing' | 'extra'

/** A step kind, or the run's outcome, or its drawn time/random values. */
export type DivergenceKind = StepKind | 'outcome' | 'drawn'

/**
 * One atomic change inside a differing step, from json-diff-ts.
 *
 * @note Normalised so that `oldValue` is always the expected side and `value` the
 * actual side (json-diff-ts puts a removed value in `value`), and a REMOVE + ADD
 * pair at one path (a type change) is one UPDATE.
 */
export interface FieldChange {
  type: 'ADD' | 'REMOVE' | 'UPDATE'
  /** json-diff-ts JSONPath inside the compared object, e.g. `$.request.body.json.messages[0].content`. */
  path: string
  /** The expected value (UPDATE, REMOVE). */
  oldValue?: JsonValue
  /** The actual value (UPDATE, ADD). */
  value?: JsonValue
}

/** One differing position of a run. */
export interface Divergence {
  /** 1-based position in the run; 0 for the outcome and the drawn values. */
  step: number
  /** The step's `seq` (expected side, or actual for an extra step). */
  seq?: number
  kind: DivergenceKind
  correlationId?: string
  /** Short description of the step: `openai chat.completions, gpt-4o-mini`, `POST http://host/v1/search`. */
  detail?: string
  section: DivergenceSection
  reason: DivergenceReason
  /**
   * JSON path of the first difference inside the step (or the outcome, or the drawn
   * values list), e.g. `$.request.body.json.messages[1].content`; `$` for a missing or extra step.
   */
  path: string
  /** Value at `path` in the expected run; absent when the path does not exist there. */
  expected?: JsonValue
  /** Value at `path` in the actual run; absent when the path does not exist there. */
  actual?: JsonValue
  /**
   * Field-level changes of this step, capped at {@link MAX_FIELD_CHANGES}. Filled for
   * `RunComparison.first` only (diffing every step would cost more than linear time);
   * use `compareSteps` for the details of another step.
   */
  changes: FieldChange[]
  /** How many field changes were left out of `changes` by the cap. */
  omittedChanges?: number
}

/** The result of comparing two runs. */
export interface RunComparison {
  equal: boolean
  /** The first differing position, in run order: steps, then the outcome, then the drawn values. */
  first?: Divergence
  /** Total number of differing positions (steps, the outcome, the drawn values). */
  differences: number
  /** Every differing position, capped at {@link MAX_DIVERGENCES}; only `first` has `changes`. */
  all: Divergence[]
  /** Step counts of both runs, for "step 3 of 6" and "the run now has 7 steps". */
  expectedSteps: number
  actualSteps: number
  /** Whether the outcomes (return value or thrown error) are equal. */
  outcomeEqual: boolean
}

export interface CompareOptions {
  /**
   * JSON paths left out of request bodies before comparing, relative to the JSON
   * body: `$.messages[0].id`, `metadata.requestId`, `messages[*].id`.
   */
  ignorePaths?: string[]
}

/** Cap of `RunComparison.all`. */
export const MAX_DIVERGENCES = 1000

/** Cap of `Divergence.changes`. */
export const MAX_FIELD_CHANGES = 20
