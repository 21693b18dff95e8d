/**
 * Contender: ReplayKit record mode. One iteration is one `runCapture` around
 * one SDK call that goes live to the local fake, recorded on the way.
 *
 * @note A capture that records nothing is counted rather than thrown: the
 * engine currently loses some requests of back-to-back streamed captures
 * (bench/repro/record-context-leak.mjs); the count is reported with the figure.
 */
import { runCapture } from '@replaykit/core'
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
