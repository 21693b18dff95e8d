/**
 * Worker: replay one recorded SSE response of many events in instant mode
 * (benchmark 6). The recording is made in the parent's fake first (record
 * mode, in another worker), then replayed here:
 * - raw: `fetch` inside a strict capture, reading the body to its end;
 * - sdk: the `openai` SDK streaming it, parsing every chunk.
 */
import { join } from 'node:path'
import { readRpkFile } from '@replaykit/core'
import { runCapture } from '@replaykit/core/engine'
import { ask, makeClient } from '../lib/openai-ask.mjs'
import { round, timeMedian } from '../lib/stats.mjs'

export async function setup({ origin, dir, events }) {
  const model = `bench-events-${events}`
  return {
    /** Called in a separate worker: record the stream. */
    async measure({ phase, repeats }) {
      const file = join(dir, `stream-${events}.rpk`)
      if (phase === 'record') {
        const { writeRpkFile } = await import('@replaykit/core')
        const client = makeClient(origin)
        const result = await runCapture(() => ask(client, true, model), { mode: 'record', name: 'stream', index: 1 })
        if (result.threw) throw result.error
        writeRpkFile(file, { runs: { 'stream 1': result.run } })
        const response = result.run.steps.find((step) => step.kind === 'model.response')
        return { events: response.response.stream.events.length }
      }
      const recording = readRpkFile(file).runs['stream 1']
      const request = recording.steps.find((step) => step.kind === 'model.request').request
      const client = makeClient(origin)
      // Plain fetch draws none of the time/random values the SDK drew when recorded: not compared.
      const raw = () =>
        replay(recording, { determinism: false }, async () => {
          const response = await fetch(request.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(request.body.json),
          })
          const text = await response.text()
          if (!text.endsWith('data: [DONE]\n\n')) throw new Error('the replayed stream did not end with [DONE]')
        })
      const sdk = () => replay(recording, {}, () => ask(client, true, model))
      const rawTime = await timeMedian(raw, { runs: repeats, warmup: 2 })
      const sdkTime = await timeMedian(sdk, { runs: repeats, warmup: 2 })
      return { raw: round(rawTime.median, 2), sdk: round(sdkTime.median, 2) }
    },
  }
}

async function replay(recording, options, fn) {
  const result = await runCapture(fn, {
    ...options,
    mode: 'strict',
    recording,
    name: 'stream',
    index: 1,
    pacing: 'instant',
  })
  if (result.threw) throw result.error
  if (result.problems.length > 0) throw new Error(`strict replay reported: ${result.problems[0].message}`)
}
