/**
 * Contender: ReplayKit record mode. One iteration is one `runCapture` around
 * one SDK call that goes live to the local fake, recorded on the way.
 *
 * @note A capture that records nothing is counted rather than thrown, and
 * fails the figure: back-to-back captures on one pooled client once lost
 * their requests to a finished capture (test/engine/connection-isolation).
 */
import { runCapture } from '@replaykit/core/engine'
import { ask, makeClient } from '../lib/openai-ask.mjs'

export async function setup({ origin, stream }) {
  const client = makeClient(origin)
  let captures = 0
  let empty = 0
  return {
    async iteration() {
      const result = await runCapture(() => ask(client, stream), { mode: 'record', name: 'record', index: 1 })
      if (result.threw) throw result.error
      captures++
      if (result.run.steps.length < 2) empty++
    },
    stats: () => ({ captures, empty }),
  }
}
