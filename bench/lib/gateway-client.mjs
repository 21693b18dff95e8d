/**
 * The gateway benchmarks' client side: the gateway host process (gateway-host.mjs) and raw
 * node:http requests on keep-alive connections, timed to the first body byte and to the end,
 * with the largest gap between two body chunks (a stall) and the time from the last chunk to the
 * body's end (the gateway ends a response once its exchange is recorded).
 */
import { fork } from 'node:child_process'
import { Agent, request as httpRequest } from 'node:http'
import { fileURLToPath } from 'node:url'
import { LISTENER_NODE_FLAGS } from '@replaykit/core/gateway'

const HOST = fileURLToPath(new URL('./gateway-host.mjs', import.meta.url))

/**
 * Start a gateway in its own process.
 *
 * @param {import('@replaykit/core/gateway').GatewayOptions} options
 */
export async function startGatewayProcess(options) {
  const child = fork(HOST, [], {
    execArgv: ['--expose-gc', ...gatewayFlags()],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const ask = (message, answer) =>
    new Promise((resolve, reject) => {
      const onMessage = (reply) => {
        if (reply.type !== answer && reply.type !== 'error') return
        child.off('message', onMessage)
        child.off('exit', onExit)
        if (reply.type === 'error') reject(new Error(`gateway host: ${reply.message}`))
        else resolve(reply)
      }
      const onExit = (code, signal) => reject(new Error(`gateway host exited (${signal ?? code})`))
      child.on('message', onMessage)
      child.once('exit', onExit)
      child.send(message)
    })
  const { url } = await ask({ type: 'start', options }, 'ready')
  return {
    url,
    pid: child.pid,
    /** @returns {Promise<{ status: any, memory: NodeJS.MemoryUsage }>} */
    status: () => ask({ type: 'status' }, 'status'),
    close: async () => (await ask({ type: 'close' }, 'closed')).summary,
    kill: () => child.kill('SIGKILL'),
  }
}

/**
 * The Node flags the gateway process runs with: the listener's (`replaykit listen start` gives them
 * to its `__serve` process), or RPK_BENCH_GATEWAY_FLAGS (space-separated, empty for none) to measure others.
 */
export function gatewayFlags() {
  const flags = process.env.RPK_BENCH_GATEWAY_FLAGS
  return flags === undefined ? [...LISTENER_NODE_FLAGS] : flags.split(' ').filter(Boolean)
}

/** A keep-alive agent, as an SDK client keeps its connections. */
export function keepAlive(sockets = 64) {
  return new Agent({ keepAlive: true, maxSockets: sockets })
}

/**
 * POST a JSON body; resolve the timings in ms once the body has ended.
 *
 * @returns {Promise<{ status: number, firstByte: number, total: number, maxGap: number, tail: number, bytes: number }>}
 */
export function post(agent, url, body) {
  const payload = Buffer.from(JSON.stringify(body))
  return new Promise((resolve, reject) => {
    const started = performance.now()
    let firstByte = -1
    let last = 0
    let maxGap = 0
    let bytes = 0
    const req = httpRequest(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': String(payload.length),
          authorization: 'Bearer sk-bench-fake-key-0123456789abcdef',
        },
      },
      (res) => {
        res.on('data', (chunk) => {
          const now = performance.now()
          if (firstByte < 0) firstByte = now - started
          else maxGap = Math.max(maxGap, now - last)
          last = now
          bytes += chunk.length
        })
        res.on('end', () => {
          const now = performance.now()
          const tail = last > 0 ? now - last : 0
          resolve({ status: res.statusCode ?? 0, firstByte, total: now - started, maxGap, tail, bytes })
        })
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(payload)
  })
}

/** The p-th percentile (0..100) of a list, nearest rank. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}
