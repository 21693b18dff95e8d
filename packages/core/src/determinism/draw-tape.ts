/**
 * A tape of time and random values for one capture: filled in order while
 * recording, played back in order while replaying.
 */
import type { DeterminismSource, DrawnValue } from '../artifact/types.js'

/** How a replay's draws differed from the recording's. */
export interface DrawProblems {
  /** Values in the recording. */
  expected: number
  /** Values the code drew this time. */
  actual: number
  /** Draws whose next recorded value came from another source (or did not fit): they got real values. */
  mismatched: number
}

/**
 * The values one capture draws. In `record` mode every draw gets a real value
 * and is kept; in `replay` mode each draw gets the next recorded value when it
 * comes from the same source, and a real one (counted in `problems()`) when
 * the recording ran out or holds a draw from another source there.
 *
 * @example
 * const tape = new DrawTape('replay', recording.drawn)
 * // … run the code with installDeterminism(() => tape) …
 * tape.problems() // undefined when the code drew exactly what was recorded
 */
export class DrawTape {
  readonly mode: 'record' | 'replay'
  /** Values drawn this time, in order (replayed ones included): what a new recording stores. */
  readonly drawn: DrawnValue[] = []
  readonly #recorded: readonly DrawnValue[]
  #cursor = 0
  #mismatched = 0

  constructor(mode: 'record' | 'replay', recorded: DrawnValue[] = []) {
    this.mode = mode
    this.#recorded = mode === 'replay' ? recorded.map((item) => ({ ...item })) : []
  }

  /**
   * Hand out the value for one draw. `real` makes a real value; `fits` says
   * whether a recorded value can stand in (its type, a byte count).
   *
   * @note Called by the patched globals, possibly those of another copy of
   * this package: keep the signature stable.
   */
  next(
    source: DeterminismSource,
    real: () => number | string,
    fits: (value: number | string) => boolean,
  ): number | string {
    if (this.mode === 'replay') {
      const recorded = this.#recorded[this.#cursor]
      if (recorded && recorded.source === source) {
        this.#cursor++
        if (fits(recorded.value)) {
          this.drawn.push({ source, value: recorded.value })
          return recorded.value
        }
      }
      // Ran out is visible as actual > expected; a different source or an unfit value is counted.
      if (recorded) this.#mismatched++
    }
    const value = real()
    this.drawn.push({ source, value })
    return value
  }

  /** How this replay's draws differed from the recording; undefined when they did not (and always when recording). */
  problems(): DrawProblems | undefined {
    if (this.mode === 'record') return undefined
    const expected = this.#recorded.length
    const actual = this.drawn.length
    if (this.#mismatched === 0 && this.#cursor === expected && actual === expected) return undefined
    return { expected, actual, mismatched: this.#mismatched }
  }
}
