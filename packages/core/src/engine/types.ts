/**
 * Public types of the capture and replay engine (SPEC sections 3 and 5).
 */
import type { DrawnValue, JsonValue, Run } from '../artifact/types.js'
import type { RedactOptions } from '../redact/types.js'

/**
 * How a capture treats the network. A closed union, like vitest's update state.
 *
 * - `record`: live; every exchange is stored. Fails nothing but the test's own assertions.
 * - `strict` (default): no request leaves the process; each is answered from the recording or fails.
 * - `hybrid`: recorded requests are replayed; new or changed ones go live and are reported.
 * - `live-compare`: everything goes live; differences to the recording are reported step by step.
 */
export type Mode = 'record' | 'strict' | 'hybrid' | 'live-compare'

export const MODES: readonly Mode[] = ['record', 'strict', 'hybrid', 'live-compare']

/** How replayed streams are paced. */
export type Pacing = 'instant' | 'recorded'

/** The parts of a request that matching looks at, after redaction. */
export interface MatchInput {
  method: string
  /** Normalised URL (sorted query, no default port, redacted key parameters). */
  url: string
  /** Parsed JSON body, or text, or undefined. Redacted, ignore paths removed. */
  body: JsonValue | undefined
  headers: Record<string, string>
}

export interface MatchOptions {
  /**
   * JSON paths (`$.metadata.requestId`, `messages[*].id`) left out of request bodies
   * before matching and comparing: for fields that change on every run.
   */
  ignorePaths?: string[]
  /** Request headers (lower-case) that take part in matching. None do by default. */
  headers?: string[]
  /**
   * Full control: return the value requests are matched on. Two requests with
   * canonically equal keys are the same request. Defaults to method, URL and body.
   */
  key?: (request: MatchInput) => unknown
}

/** Something the engine saw while the code ran, beyond what the step comparison shows. */
export type ReplayProblem =
  | { type: 'unmatched-request'; seq: number; method: string; url: string; message: string }
  | { type: 'unused-recording'; seq: number; method: string; url: string; message: string }
  | { type: 'live-request'; seq: number; method: string; url: string; message: string }
  /** The code failed on a request another MSW server (the user's, `onUnhandledFrame: 'error'`) refused. */
  | { type: 'failed-by-other-msw'; message: string }
  | { type: 'draws'; message: string; expected: number; actual: number }
  /** A request the code made after `fn` returned: refused (strict, hybrid) or not recorded (record). */
  | { type: 'late-request'; method: string; url: string; message: string; refused: boolean }
  /** A plugin's hook threw on a request (plugins/active.ts): the request was failed with the plugin's error. */
  | { type: 'plugin-failed'; seq: number; method: string; url: string; message: string }

/**
 * Requests the capture's code makes after `fn` returned (late.ts). The
 * integrations seal a capture when its test ends.
 */
export interface LateRequests {
  /**
   * The test is over: late exchanges not complete by now stay out of the run.
   * Returns the late problems so far; later ones go to `takeLateProblems()`.
   */
  seal(): ReplayProblem[]
  /** Every late problem of this capture, also those after the seal. */
  problems(): ReplayProblem[]
}

export interface CaptureOptions {
  mode?: Mode
  /** The recorded run to replay or compare against (ignored in record mode). */
  recording?: Run
  /** Run name and 1-based index stored in the run. */
  name?: string
  index?: number
  match?: MatchOptions
  redact?: RedactOptions
  /** Replay streams instantly (default) or with the recorded gaps between events. */
  pacing?: Pacing
  /** Record and replay Date, Math.random and crypto draws (default true). */
  determinism?: boolean
  /**
   * The command a refusal tells the user to re-record with (default
   * `replaykit test --update-replays`): `replaykit replay` names its own `record`.
   */
  rerecord?: string
}

/**
 * What `fn` produced, discriminated on `threw`: after `if (run.threw) …` (or `expect(run.threw).toBe(false)`
 * and a narrowing check) strict TypeScript knows `value` is a `T`, with no `!`.
 */
export type CaptureOutcome<T> =
  | {
      threw: false
      /** What `fn` returned. */
      value: T
      error?: undefined
    }
  | {
      threw: true
      value?: undefined
      /** What `fn` threw. */
      error: unknown
    }

/** What a capture produced. */
export type CaptureResult<T> = CaptureOutcome<T> & {
  mode: Mode
  run: Run
  problems: ReplayProblem[]
  /** Requests made after `fn` returned: seal when the test ends. Set by `runCapture`. */
  late?: LateRequests
}

/** The outcome of `fn` as a `CaptureOutcome`, from what the engine caught. */
export function captureOutcome<T>(value: T | undefined, error: unknown, threw: boolean): CaptureOutcome<T> {
  return threw ? { threw: true, error } : { threw: false, value: value as T }
}

export type { DrawnValue }
