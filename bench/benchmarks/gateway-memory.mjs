/**
 * Benchmark 13: the gateway's memory stays flat while it records a long agent session (issue
 * 13, Measured). An hour of a busy agent is taken as 3,600 requests (one a second); each
 * resends the same 8 KB system prompt and 4 KB tool list (stored once by content hash) with a
 * new user message, one in ten streamed. The gateway process's heap and RSS are read (after a
 * GC) at a quarter, half, three quarters and the end; flat means the heap at the end is within
 * 10 MB of the heap at a quarter, where the first quarter pays for warm-up, and the RSS at the end
 * within 10% of the RSS at a quarter (memory outside the JS heap: buffers, native allocations).
 * The gateway runs with the listener's Node flags (LISTENER_NODE_FLAGS), as `replaykit listen` does.
 */
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { gatewayFlags, keepAlive, post, startGatewayProcess } from '../lib/gateway-client.mjs'
import { startPacedUpstream } from '../lib/gateway-upstream.mjs'
import { round } from '../lib/stats.mjs'

const MB = 1024 * 1024
const SYSTEM = `You are a careful coding agent. ${'Follow the repository rules. '.repeat(290)}`
const TOOLS = Array.from({ length: 8 }, (_, i) => ({
  type: 'function',
  function: {
    name: `tool_${i}`,
    description: `Tool number ${i}: ${'does a useful thing with the workspace. '.repeat(10)}`,
    parameters: { type: 'object', properties: { arg: { type: 'string' } }, required: ['arg'] },
  },
}))

/** @param {import('../run.mjs').BenchContext} ctx */
export async function run(ctx) {
  const total = ctx.quick ? 600 : 3600
  const upstream = await startPacedUpstream()
  const out = join(ctx.tmp, 'gateway-memory.rpk')
  const gateway = await startGatewayProcess({ out, upstreams: { openai: `${upstream.url}/v1` } })
  const agent = keepAlive(4)
  const samples = []
  let summary
  try {
    const one = async (i) => {
      const body = {
        model: i % 10 === 0 ? 'bench-stream-20-0' : 'bench-json',
        stream: i % 10 === 0,
        tools: TOOLS,
        messages: [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: `step ${i}: look at file src/module-${i % 50}.ts and fix what is wrong` },
        ],
      }
      const res = await post(agent, `${gateway.url}/v1/chat/completions`, body)
      if (res.status !== 200) throw new Error(`the gateway answered ${res.status} at request ${i}`)
    }
    let next = 0
    for (const quarter of [1, 2, 3, 4]) {
      const until = (total * quarter) / 4
      // Four clients at a time, as an agent with a few parallel tool calls.
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (next < until) await one(next++)
        }),
      )
      const { memory, status } = await gateway.status()
      samples.push({
        requests: status.requests,
        heapMB: memory.heapUsed / MB,
        rssMB: memory.rss / MB,
        heapTotalMB: memory.heapTotal / MB,
      })
    }
    summary = await gateway.close()
  } catch (error) {
    gateway.kill()
    throw error
  } finally {
    agent.destroy()
    await upstream.close()
  }
  const growth = samples[3].heapMB - samples[0].heapMB
  const rssGrowth = samples[3].rssMB / samples[0].rssMB - 1
  const size = statSync(summary.written?.file ?? out).size
  return [
    {
      id: '13-heap-growth',
      title: `13. gateway: heap growth recording a long session (${total} requests), last three quarters`,
      value: round(growth, 1),
      unit: 'MB',
      target: '<= 10 MB',
      pass: growth <= 10,
      note: `heap ${samples.map((s) => round(s.heapMB, 1)).join(' → ')} MB, RSS ${samples.map((s) => round(s.rssMB, 1)).join(' → ')} MB at 1/4, 1/2, 3/4, end; artifact ${round(size / MB, 1)} MB for ${total} requests carrying a 8 KB system prompt and 4 KB of tools each`,
    },
    {
      id: '13-rss-growth',
      title: `13. gateway: RSS growth recording a long session (${total} requests), last three quarters`,
      value: round(rssGrowth * 100, 1),
      unit: '%',
      target: '<= 10%',
      pass: rssGrowth <= 0.1,
      // Split: V8's heap as committed (the young generation's size shows here) and the rest (native memory).
      note: `RSS ${round(samples[0].rssMB, 1)} MB at a quarter, ${round(samples[3].rssMB, 1)} MB at the end; V8 heap committed ${samples.map((s) => round(s.heapTotalMB, 1)).join(' → ')} MB, outside it ${samples.map((s) => round(s.rssMB - s.heapTotalMB, 1)).join(' → ')} MB; gateway flags: ${gatewayFlags().join(' ') || 'none'}`,
    },
  ]
}
