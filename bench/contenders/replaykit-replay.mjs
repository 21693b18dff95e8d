/**
 * Contender: ReplayKit strict replay. One iteration is one `runCapture` (what
 * one `capture(fn)` in a test costs) around one SDK call, answered from the
 * recording loaded once, like a test file loads its `.rpk` once.
 */
import { join } from 'node:path'
import { readRpkFile } from '@replaykit/core'
import { runCapture } from '@replaykit/core/engine'
import { ask, makeClient } from '../lib/openai-ask.mjs'

export async function setup({ origin, dir, name, stream }) {
  const recording = readRpkFile(join(dir, 'replay.rpk'))?.runs[`${name} 1`]
  if (!recording) throw new Error(`no recorded run "${name} 1" in ${dir}/replay.rpk`)
  const client = makeClient(origin)
  return {
    async iteration() {
      const result = await runCapture(() => ask(client, stream), { mode: 'strict', recording, name, index: 1 })
      if (result.threw) throw result.error
      if (result.problems.length > 0) throw new Error(`strict replay reported: ${result.problems[0].message}`)
    },
  }
}
