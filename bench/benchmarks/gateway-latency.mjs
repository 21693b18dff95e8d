/**
 * Benchmark 12: what the passive gateway (`replaykit listen`, live mode, recording) adds to a
 * request, against a direct connection to the same upstream, in one run (issue 13, Measured):
 * - added latency per buffered request, p50 ≤ 1 ms and p99 ≤ 5 ms;
 * - added time to the first streamed byte, p50 ≤ 2 ms;
 * - 32 concurrent streams: no added stall (the largest gap between two chunks of a stream,
 *   worst stream, through the gateway minus direct, ≤ 10 ms) and the batch's wall time; the note
 *   gives the worst wait from a stream's last chunk to its end (its exchange recorded first).
 * Direct and gateway requests alternate, so a slow phase of the machine lands on both. The
 * gateway runs in a process of its own (bench/lib/gateway-host.mjs), as the listener does.
 */
import { join } from 'node:path'
import { keepAlive, percentile, post, startGatewayProcess } from '../lib/gateway-client.mjs'
import { startPacedUpstream } from '../lib/gateway-upstream.mjs'
import { round } from '../lib/stats.mjs'

/** @param {import('../run.mjs').BenchContext} ctx */
export async function run(ctx) {
  const upstream = await startPacedUpstream()
  const gateway = await startGatewayProcess({
    out: join(ctx.tmp, 'gateway-latency.rpk'),
    upstreams: { openai: `${upstream.url}/v1` },
  })
  const direct = `${upstream.url}/v1/chat/completions`
  const through = `${gateway.url}/v1/chat/completions`
  const agents = { direct: keepAlive(), through: keepAlive() }
  const rows = []
  try {
    // Buffered requests, alternating direct / gateway.
    const n = ctx.quick ? 200 : 3000
    const samples = { direct: [], through: [] }
    for (let i = 0; i < n + 100; i++) {
      const body = { model: 'bench-json', messages: [{ role: 'user', content: `question ${i}` }] }
      const a = await post(agents.direct, direct, body)
      const b = await post(agents.through, through, body)
      if (b.status !== 200) throw new Error(`the gateway answered ${b.status}`)
      if (i >= 100) {
        samples.direct.push(a.total)
        samples.through.push(b.total)
      }
    }
    for (const [p, target] of [
      [50, 1],
      [99, 5],
    ]) {
      const added = percentile(samples.through, p) - percentile(samples.direct, p)
      rows.push({
        id: `12-latency-p${p}`,
        title: `12. gateway: added latency per buffered request, p${p} (${n} requests)`,
        value: round(added, 3),
        unit: 'ms',
        target: `<= ${target} ms`,
        pass: added <= target,
        note: `p${p} ${round(percentile(samples.through, p), 3)} ms through the gateway, ${round(percentile(samples.direct, p), 3)} ms direct`,
      })
    }

    // Time to the first streamed byte.
    const streams = ctx.quick ? 50 : 400
    const first = { direct: [], through: [] }
    for (let i = 0; i < streams + 20; i++) {
      const body = { model: 'bench-stream-10-2', stream: true, messages: [{ role: 'user', content: `stream ${i}` }] }
      const a = await post(agents.direct, direct, body)
      const b = await post(agents.through, through, body)
      if (i >= 20) {
        first.direct.push(a.firstByte)
        first.through.push(b.firstByte)
      }
    }
    const ttfb = percentile(first.through, 50) - percentile(first.direct, 50)
    rows.push({
      id: '12-first-byte',
      title: `12. gateway: added time to the first streamed byte, p50 (${streams} streams)`,
      value: round(ttfb, 3),
      unit: 'ms',
      target: '<= 2 ms',
      pass: ttfb <= 2,
      note: `p50 ${round(percentile(first.through, 50), 3)} ms through the gateway, ${round(percentile(first.direct, 50), 3)} ms direct; p99 added ${round(percentile(first.through, 99) - percentile(first.direct, 99), 3)} ms`,
    })

    // 32 concurrent streams of 100 events 5 ms apart.
    const rounds = ctx.quick ? 1 : 5
    const batch = async (agent, url, r) => {
      const started = performance.now()
      const results = await Promise.all(
        Array.from({ length: 32 }, (_, i) =>
          post(agent, url, {
            model: 'bench-stream-100-5',
            stream: true,
            messages: [{ role: 'user', content: `round ${r} stream ${i}` }],
          }),
        ),
      )
      return {
        wall: performance.now() - started,
        maxGap: Math.max(...results.map((res) => res.maxGap)),
        tail: Math.max(...results.map((res) => res.tail)),
      }
    }
    const walls = { direct: [], through: [] }
    const gaps = { direct: [], through: [] }
    // From a stream's last chunk to its end: the gateway ends a response once its exchange is recorded.
    const tails = { direct: [], through: [] }
    for (let r = 0; r < rounds; r++) {
      const a = await batch(agents.direct, direct, r)
      const b = await batch(agents.through, through, r)
      walls.direct.push(a.wall)
      walls.through.push(b.wall)
      gaps.direct.push(a.maxGap)
      gaps.through.push(b.maxGap)
      tails.direct.push(a.tail)
      tails.through.push(b.tail)
    }
    const stall = percentile(gaps.through, 50) - percentile(gaps.direct, 50)
    rows.push({
      id: '12-concurrent-stall',
      title: '12. gateway: 32 concurrent streams (100 events, 5 ms apart): added worst gap between two chunks',
      value: round(stall, 2),
      unit: 'ms',
      target: '<= 10 ms',
      pass: stall <= 10,
      note: `worst gap ${round(percentile(gaps.through, 50), 2)} ms through the gateway, ${round(percentile(gaps.direct, 50), 2)} ms direct (median of ${rounds} rounds); worst wait from the last chunk to the end ${round(percentile(tails.through, 50), 2)} ms through the gateway, ${round(percentile(tails.direct, 50), 2)} ms direct`,
    })
    const ratio = percentile(walls.through, 50) / percentile(walls.direct, 50)
    rows.push({
      id: '12-concurrent-wall',
      title: '12. gateway: 32 concurrent streams: batch wall time, gateway / direct',
      value: round(ratio, 3),
      unit: 'x',
      pass: null,
      note: `${round(percentile(walls.through, 50), 1)} ms through the gateway, ${round(percentile(walls.direct, 50), 1)} ms direct`,
    })
  } finally {
    agents.direct.destroy()
    agents.through.destroy()
    await gateway.close().catch(() => gateway.kill())
    await upstream.close()
  }
  return rows
}
