/**
 * Benchmark 6: replaying one streamed response of 5,000 SSE events in
 * instant mode.
 */
import { fileURLToPath } from 'node:url'
import { measureOnce } from '../lib/workers.mjs'

const STREAM = fileURLToPath(new URL('../contenders/stream-replay.mjs', import.meta.url))

/** @param {import('../run.mjs').BenchContext} ctx */
export async function run(ctx) {
  const config = { origin: ctx.origin, dir: ctx.tmp, events: ctx.quick ? 500 : 5_000 }
  const recorded = await measureOnce(STREAM, config, { phase: 'record' })
  const result = await measureOnce(STREAM, config, { phase: 'replay', repeats: ctx.quick ? 3 : 15 })
  const events = recorded.events.toLocaleString('en')
  return [
    {
      id: '6-raw',
      title: `6. replay one stream of ${events} SSE events (instant), read with fetch`,
      value: result.raw,
      unit: 'ms',
      target: '<= 50 ms',
      pass: result.raw <= 50,
      note: 'one strict capture: match, re-emit every event, client reads to the end',
      details: { ...recorded, ...result },
    },
    {
      id: '6-sdk',
      title: `6. the same, read through the openai SDK stream (for reference)`,
      value: result.sdk,
      unit: 'ms',
      target: '-',
      pass: null,
      note: 'includes the SDK parsing every chunk',
      details: { ...recorded, ...result },
    },
  ]
}
