/**
 * Benchmark 4: the first-divergence diff is linear: 10x the steps costs at
 * most 12x the time, and 100,000 steps take at most 1 s.
 */
import { fileURLToPath } from 'node:url'
import { round } from '../lib/stats.mjs'
import { measureOnce } from '../lib/workers.mjs'

const DIFF = fileURLToPath(new URL('../contenders/diff.mjs', import.meta.url))

/** @param {import('../run.mjs').BenchContext} ctx */
export async function run(ctx) {
  const [small, large] = ctx.quick ? [1_000, 10_000] : [10_000, 100_000]
  // Each size in a fresh process: the large run's heap must not slow the small one down, or the reverse.
  const options = { execArgv: ['--max-old-space-size=4096'] }
  const a = await measureOnce(DIFF, {}, { steps: small, repeats: ctx.quick ? 2 : 7 }, options)
  const b = await measureOnce(DIFF, {}, { steps: large, repeats: ctx.quick ? 2 : 3 }, options)
  const growth = b.ms / a.ms
  const note = `${small.toLocaleString('en')} steps ${a.ms} ms, ${large.toLocaleString('en')} steps ${b.ms} ms`
  return [
    {
      id: '4-linear',
      title: `4. first-divergence diff: time(${large.toLocaleString('en')}) / time(${small.toLocaleString('en')}) steps`,
      value: round(growth, 2),
      unit: 'x',
      target: '<= 12x',
      pass: growth <= 12,
      note,
      details: { small: a, large: b },
    },
    {
      id: '4-large',
      title: `4. first-divergence diff over ${large.toLocaleString('en')} steps`,
      value: b.ms,
      unit: 'ms',
      target: '<= 1000 ms',
      pass: b.ms <= 1000,
      note,
      details: { small: a, large: b },
    },
  ]
}
