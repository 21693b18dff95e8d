/**
 * Benchmark 1: replay cost per request through the `openai` SDK, buffered and
 * streamed: ReplayKit strict replay vs a hand-written MSW handler vs nock.back
 * lockdown vs the live local fake, all answering the same recorded exchange.
 */
import { fileURLToPath } from 'node:url'
import { round } from '../lib/stats.mjs'
import { measureOnce, sideBySide } from '../lib/workers.mjs'

const contender = (name) => fileURLToPath(new URL(`../contenders/${name}.mjs`, import.meta.url))

/** @param {import('../run.mjs').BenchContext} ctx */
export async function run(ctx) {
  await measureOnce(contender('record-fixtures'), { origin: ctx.origin, dir: ctx.tmp }, {})
  const plan = ctx.quick ? { rounds: 2, iterations: 10, warmup: 5 } : { rounds: 8, iterations: 40, warmup: 60 }
  const rows = []
  for (const [name, stream] of [
    ['buffered', false],
    ['streamed', true],
  ]) {
    const config = { origin: ctx.origin, dir: ctx.tmp, name, stream }
    const result = await sideBySide(
      [
        { name: 'replaykit', file: contender('replaykit-replay'), config },
        { name: 'msw', file: contender('msw-handler'), config },
        { name: 'nock', file: contender('nock-back'), config },
        { name: 'live', file: contender('live'), config },
      ],
      plan,
    )
    const ms = Object.fromEntries(Object.entries(result).map(([key, value]) => [key, round(value.median)]))
    const vsMsw = result.replaykit.median / result.msw.median
    const vsNock = result.replaykit.median / result.nock.median
    const times = `ReplayKit ${ms.replaykit} ms, MSW ${ms.msw} ms, nock.back ${ms.nock} ms, live ${ms.live} ms`
    rows.push({
      id: `1-${name}-msw`,
      title: `1. replay per request, ${name}: ReplayKit / MSW handler`,
      value: round(vsMsw, 2),
      unit: 'x',
      target: '<= 1.15x',
      pass: vsMsw <= 1.15,
      note: times,
      details: { msPerRequest: ms, samples: result, plan },
    })
    rows.push({
      id: `1-${name}-nock`,
      title: `1. replay per request, ${name}: ReplayKit / nock.back`,
      value: round(vsNock, 2),
      unit: 'x',
      target: '< 1x',
      pass: vsNock < 1,
      note: times,
      details: { msPerRequest: ms, plan },
    })
  }
  return rows
}
