/**
 * Benchmark 1: replay cost per request through the `openai` SDK, buffered and
 * streamed, with the client created once: ReplayKit strict replay vs a
 * hand-written MSW handler vs nock.back lockdown vs aimock (a mock server on a
 * loopback port) vs Polly vs the live local fake, all answering the same
 * recorded exchanges. The workload is `count` distinct questions asked in
 * turn (blocks of 50 in the full run), as a test file's tests ask them; then
 * the same with 20 captures in flight at once.
 *
 * Besides the warm median, each row keeps the first block a fresh worker ran
 * (`first`): a test worker lives for one file, so most of a suite's requests
 * run in code that is not warm yet (see docs/performance.md, issue 12).
 */
import { fileURLToPath } from 'node:url'
import { round } from '../lib/stats.mjs'
import { measureOnce, sideBySide } from '../lib/workers.mjs'

const contender = (name) => fileURLToPath(new URL(`../contenders/${name}.mjs`, import.meta.url))

/** Who ReplayKit is compared with, and the target of each ratio (issue 12); `undefined`: for information. */
const TARGETS = {
  msw: { title: 'MSW handler', max: 1.1 },
  nock: { title: 'nock.back', max: 1, strict: true },
  aimock: { title: 'aimock', max: 1 },
  polly: { title: 'Polly', max: undefined },
  live: { title: 'live loopback call', max: undefined },
}

/** @param {import('../run.mjs').BenchContext} ctx */
export async function run(ctx) {
  const count = ctx.quick ? 5 : 50
  await measureOnce(contender('record-fixtures'), { origin: ctx.origin, dir: ctx.tmp, count }, {})
  // Three sets of fresh workers (lib/workers.mjs sideBySide), each running what one worker ran before (the same
  // warmth): one worker process per contender swung the ratios by ±0.3.
  // Quick mode keeps two sets, so that npm test runs the pooling over sets the full run uses.
  const sequential = ctx.quick
    ? { workers: 2, rounds: 1, iterations: 5, warmup: 5 }
    : { workers: 3, rounds: 6, iterations: 50, warmup: 50 }
  const concurrent = ctx.quick
    ? { rounds: 1, iterations: 1, warmup: 1 }
    : { workers: 3, rounds: 6, iterations: 5, warmup: 3 }
  const rows = []
  const variants = [
    {
      id: 'buffered',
      stream: false,
      concurrency: 1,
      plan: sequential,
      against: ['msw', 'nock', 'aimock', 'polly', 'live'],
    },
    {
      id: 'streamed',
      stream: true,
      concurrency: 1,
      plan: sequential,
      against: ['msw', 'nock', 'aimock', 'polly', 'live'],
    },
    // nock.back holds one fixture at a time: it cannot serve concurrent tests.
    { id: 'concurrent', stream: false, concurrency: 20, plan: concurrent, against: ['msw', 'aimock', 'polly', 'live'] },
  ]
  for (const variant of variants) {
    const name = variant.stream ? 'streamed' : 'buffered'
    const config = {
      origin: ctx.origin,
      dir: ctx.tmp,
      name,
      stream: variant.stream,
      count,
      concurrency: variant.concurrency,
    }
    const result = await sideBySide(
      [
        { name: 'replaykit', file: contender('replaykit-replay'), config },
        ...variant.against.map((who) => ({
          name: who,
          file: contender(who === 'msw' ? 'msw-handler' : who === 'nock' ? 'nock-back' : who),
          config,
        })),
      ],
      variant.plan,
    )
    // ms per request: an iteration of the concurrent variant is 20 requests.
    const per = (value) => round(value / variant.concurrency)
    const ms = Object.fromEntries(Object.entries(result).map(([key, value]) => [key, per(value.median)]))
    const first = Object.fromEntries(Object.entries(result).map(([key, value]) => [key, per(value.first)]))
    // CPU time of each worker (the live fake's work is in the bench's process, not in `live`'s).
    const cpu = Object.fromEntries(Object.entries(result).map(([key, value]) => [key, per(value.cpu)]))
    const firstCpu = Object.fromEntries(Object.entries(result).map(([key, value]) => [key, per(value.firstCpu)]))
    const list = (values) =>
      Object.entries(values)
        .map(([key, value]) => `${key} ${value}`)
        .join(', ')
    const note = `ms/request: ${list(ms)}; first block: ${list(first)}; CPU ms/request: ${list(cpu)}; first block: ${list(firstCpu)}`
    const label = variant.concurrency > 1 ? `${variant.concurrency} concurrent captures, buffered` : name
    for (const who of variant.against) {
      const ratio = result.replaykit.median / result[who].median
      const { title, max, strict } = TARGETS[who]
      rows.push({
        id: `1-${variant.id}-${who}`,
        title: `1. replay per request, ${label}: ReplayKit / ${title}`,
        value: round(ratio, 2),
        unit: 'x',
        target: max === undefined ? '—' : `${strict ? '<' : '<='} ${max}x`,
        ...(max === undefined ? {} : { pass: strict ? ratio < max : ratio <= max }),
        // The times are the same for every row of a variant: printed once.
        ...(who === variant.against[0] ? { note } : {}),
        details: {
          msPerRequest: ms,
          firstBlockMsPerRequest: first,
          cpuMsPerRequest: cpu,
          firstBlockCpuMsPerRequest: firstCpu,
          firstBlockRatio: round(result.replaykit.first / result[who].first, 2),
          samples: result,
          plan: variant.plan,
          count,
        },
      })
    }
    // A test worker lives for one file: its requests run before the code is warm. The first block of a fresh
    // worker is what a suite pays per request, the warm median what a long-lived process pays.
    if (variant.concurrency === 1) {
      for (const who of ['msw', 'aimock']) {
        const ratio = result.replaykit.first / result[who].first
        const { title, max } = TARGETS[who]
        rows.push({
          id: `1-${variant.id}-first-${who}`,
          title: `1. replay per request, ${label}, first block of a fresh worker: ReplayKit / ${title}`,
          value: round(ratio, 2),
          unit: 'x',
          target: `<= ${max}x`,
          pass: ratio <= max,
          details: { firstBlockMsPerRequest: first, plan: variant.plan, count },
        })
      }
    }
  }
  return rows
}
