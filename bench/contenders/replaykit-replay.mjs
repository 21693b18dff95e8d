/**
 * Contender: ReplayKit strict replay. One request is one `runCapture` (what
 * one `capture(fn)` in a test costs) around one SDK call, answered from the
 * recordings loaded once, like a test file loads its `.rpk` once.
 */
import { join } from 'node:path'
import { readRpkFile } from '@replaykit/core'
import { runCapture } from '@replaykit/core/engine'
import { ask, makeClient } from '../lib/openai-ask.mjs'
import { rotation } from '../lib/rotation.mjs'

export async function setup({ origin, dir, name, stream, count = 1, concurrency = 1 }) {
  const runs = readRpkFile(join(dir, 'replay.rpk'))?.runs ?? {}
  const recordings = Array.from({ length: count }, (_, i) => runs[`${name} ${i + 1}`])
  if (recordings.some((run) => !run)) throw new Error(`missing recorded runs "${name} N" in ${dir}/replay.rpk`)
  const client = makeClient(origin)
  return {
    iteration: rotation({ count, concurrency }, async (question, index) => {
      const recording = recordings[index - 1]
      const result = await runCapture(() => ask(client, stream, 'gpt-fake', question), {
        mode: 'strict',
        recording,
        name,
        index,
      })
      if (result.threw) throw result.error
      if (result.problems.length > 0) throw new Error(`strict replay reported: ${result.problems[0].message}`)
    }),
  }
}
