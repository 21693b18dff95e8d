/**
 * What `capture(fn)` hands the test: a `Run` (steps, outcome, timing) plus the
 * value `fn` returned or the error it threw. The matcher finds the capture's
 * plan and file through a registry, not through properties of the object, so
 * the run prints and compares as plain data.
 */
import type { Run } from '../artifact/types.js'
import { shared } from '../engine/runtime/runtime.js'
import type { CaptureOutcome, CaptureResult, Mode, ReplayProblem } from '../engine/types.js'
import type { CapturePlan } from '../store/capture-plan.js'
import type { ReplayFile } from '../store/replay-file.js'
import type { SlowdownGate } from './types.js'

/** The result of `capture(fn)`: the recorded run with what `fn` produced (`value` when `threw` is false, else `error`). */
export type ReplayRun<T = unknown> = Run &
  CaptureOutcome<T> & {
    /** The mode the capture ran in (`record` while recording). */
    mode: Mode
    /** What the engine noticed beyond the steps: unmatched requests, unused recordings, live requests. */
    problems: ReplayProblem[]
  }

/** Everything the matcher needs to judge a run, kept beside it. */
export interface CaptureRecord {
  file: ReplayFile
  plan: CapturePlan
  result: CaptureResult<unknown>
  /** Ignore paths the capture matched with. */
  ignorePaths: string[]
  /** Response paths a live-compare comparison leaves out (config and capture options). */
  ignoreResponsePaths?: string[]
  /** The gate from the capture options or the config. */
  slowdown?: SlowdownGate | false
  /** Set by `toMatchReplay`: the run was judged. */
  asserted?: boolean
}

function records(): WeakMap<object, CaptureRecord> {
  // @note In the runtime so that two copies of this module (ESM and CJS builds) see the same runs.
  return shared('capture-records', () => new WeakMap<object, CaptureRecord>())
}

/** Build the object `capture` returns and remember how it was made. */
export function createReplayRun<T>(record: CaptureRecord & { result: CaptureResult<T> }): ReplayRun<T> {
  const { result } = record
  const outcome: CaptureOutcome<T> = result.threw
    ? { threw: true, value: undefined, error: result.error }
    : { threw: false, value: result.value, error: undefined }
  const run: ReplayRun<T> = { ...result.run, ...outcome, mode: result.mode, problems: result.problems }
  records().set(run, record)
  return run
}

/** The capture behind a run object, or undefined when the value did not come from `capture`. */
export function captureRecordOf(value: unknown): CaptureRecord | undefined {
  return typeof value === 'object' && value !== null ? records().get(value) : undefined
}
