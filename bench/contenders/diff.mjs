/**
 * Worker: the first-divergence comparison of two long runs (benchmark 4).
 * The two runs are built separately (no shared objects, as when a recording
 * is loaded from disk and compared with a new run) and differ only in the
 * answer text of the last step, so the pass walks every step.
 */
import * as core from '@replaykit/core'
import { makeRun } from '../lib/make-runs.mjs'
import { round, timeMedian } from '../lib/stats.mjs'

export async function setup() {
  if (typeof core.compareRuns !== 'function') {
    throw new Error('@replaykit/core does not export compareRuns: build it (`npm run build -w @replaykit/core`)')
  }
  return {
    async measure({ steps, repeats }) {
      const expected = makeRun(steps, { streamEvery: 10 })
      const actual = makeRun(steps, { streamEvery: 10 })
      const last = actual.steps.at(-1)
      if (last.kind !== 'model.response') throw new Error(`last step is ${last.kind}`)
      last.text = 'a different answer'
      let comparison
      const time = await timeMedian(
        () => {
          comparison = core.compareRuns(expected, actual)
        },
        { runs: repeats, warmup: 1 },
      )
      if (comparison.equal || comparison.first?.step !== steps) {
        throw new Error(`expected the first divergence at step ${steps}, got ${JSON.stringify(comparison.first?.step)}`)
      }
      return { steps, ms: round(time.median, 2), samples: time.samples.map((s) => round(s, 2)) }
    },
  }
}
