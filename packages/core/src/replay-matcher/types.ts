/**
 * Types of `toMatchReplay`: its options, and the verdict that both the Vitest
 * and the Jest matcher turn into a pass or a failure.
 */
import type { Mode } from '../engine/types.js'
import type { ReplayEntry } from '../replay-report/types.js'

/**
 * The slowdown gate (SPEC section 7): fails a replayed run whose own time
 * (network excluded) grew past `maxRatio` times the recorded one, by at least
 * `minMs`. Off unless configured.
 *
 * @example { maxRatio: 2, minMs: 20 } // fail when twice as slow and at least 20 ms slower
 */
export interface SlowdownGate {
  /** Largest allowed ratio of the new own time to the recorded one, e.g. `1.5`. Must be ≥ 1. */
  maxRatio: number
  /** Absolute floor: slowdowns smaller than this many milliseconds never fail (timer noise). Default 0. */
  minMs?: number
}

/** Options of `expect(run).toMatchReplay(options)`: they override the plugin or preset config. */
export interface ReplayAssertionOptions {
  /**
   * How to judge the run. The mode also decides what the capture does with the
   * network, so a mode that needs a different capture (e.g. `live-compare` after a
   * strict capture) must be given to `capture(fn, { mode })`.
   */
  mode?: Mode
  /** The slowdown gate for this assertion; `false` turns a configured gate off. */
  slowdown?: SlowdownGate | false
  /** JSON paths in request bodies left out of the comparison (added to the capture's own). */
  ignorePaths?: string[]
  /** JSON paths into responses left out of a live-compare comparison (added to the capture's own). */
  ignoreResponsePaths?: string[]
  /**
   * The run's name (default: the full test name). The capture picks its recording
   * by name before `fn` runs, so this must equal the name given to `capture`.
   */
  name?: string
}

/** How an assertion ended, in the words of the summary. */
export type ReplayStatus = 'recorded' | 'updated' | 'replayed' | 'diverged' | 'missing' | 'slow'

/** The outcome of one `toMatchReplay` assertion. */
export interface ReplayVerdict {
  pass: boolean
  status: ReplayStatus
  /** The failure report (coloured when asked), or a one-line note when it passed. */
  message: string
  /** What the reporter shows and the JSON report holds for this assertion. */
  entry: ReplayEntry
  /** Lines the runner prints in the test's output (e.g. a recording that holds failed calls). */
  warnings?: string[]
}
