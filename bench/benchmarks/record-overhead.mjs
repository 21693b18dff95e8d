/**
 * Benchmark 2: the cost of recording. ReplayKit record mode (the request goes
 * live to the local fake and is stored on the way) vs plain pass-through: the
 * same SDK call through MSW letting every request through (`passthrough()`),
 * buffered and streamed. Both pay for the interception; the ratio is what
 * recording adds. The same call with no interception at all is shown too.
 */
import { fileURLToPath } from 'node:url'
import { round } from '../lib/stats.mjs'
import { sideBySide } from '../lib/workers.mjs'

const contender = (name) => fileURLToPath(new URL(`../contenders/${name}.mjs`, import.meta.url))

/** @param {import('../run.mjs').BenchContext} ctx */
export async function run(ctx) {
  // Three sets of fresh workers (lib/workers.mjs sideBySide), each running what one worker ran before (the same
  // warmth): one worker process per contender swung the ratio by ±0.15.
  const plan = ctx.quick
    ? { workers: 2, rounds: 1, iterations: 10, warmup: 5 }
    : { workers: 3, rounds: 8, iterations: 40, warmup: 60 }
  const rows = []
  for (const [name, stream] of [
    ['buffered', false],
    ['streamed', true],
  ]) {
    const config = { origin: ctx.origin, stream }
    const result = await sideBySide(
      [
        { name: 'record', file: contender('replaykit-record'), config },
        { name: 'passThrough', file: contender('msw-passthrough'), config },
        { name: 'direct', file: contender('live'), config },
      ],
      plan,
    )
    const ratio = result.record.median / result.passThrough.median
    // Counted per worker: summed over the sets of workers.
    const captures = result.record.stats.reduce((sum, each) => sum + each.captures, 0)
    const empty = result.record.stats.reduce((sum, each) => sum + each.empty, 0)
    const lost = empty > 0 ? `; ${empty} of ${captures} captures recorded nothing` : ''
    rows.push({
      id: `2-${name}`,
      title: `2. recording overhead, ${name}: record / MSW pass-through`,
      value: round(ratio, 2),
      unit: 'x',
      target: '<= 1.25x',
      pass: ratio <= 1.25 && empty === 0,
      note: `record ${round(result.record.median)} ms, MSW pass-through ${round(result.passThrough.median)} ms, no interception ${round(result.direct.median)} ms per request${lost}`,
      details: {
        msPerRequest: {
          record: result.record.median,
          passThrough: result.passThrough.median,
          direct: result.direct.median,
        },
        captures,
        empty,
        plan,
      },
    })
  }
  return rows
}
