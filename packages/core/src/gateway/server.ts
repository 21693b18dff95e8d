/**
 * `startGateway`: core's second transport, an HTTP server (node:http) that
 * clients of any language point their base URL at. It forwards live and
 * records continuously (recording.ts), or answers from a recording
 * (replay-source.ts); handler.ts carries one request.
 *
 * @example
 * const gateway = await startGateway({ out: 'agent.rpk' })
 * // OPENAI_BASE_URL=`${gateway.url}/v1` ANTHROPIC_BASE_URL=gateway.url …
 * const summary = await gateway.close() // the .rpk compacted; summary.written
 */
import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { PortInUseError } from '../errors/classes.js'
import { createRedactor } from '../redact/redactor.js'
import { journalPathFor } from '../store/journal-format.js'
import { createAgents } from './forward.js'
import { type GatewayContext, handle } from './handler.js'
import { checkOptions } from './options.js'
import { GatewayRecording } from './recording.js'
import { ReplaySource } from './replay-source.js'
import type { Gateway, GatewayOptions, GatewayStatus, GatewaySummary } from './types.js'

/** How long `close()` waits for exchanges still streaming before it cuts them. */
const CLOSE_GRACE_MS = 2000
const MAX_DEGRADED = 50

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const checked = checkOptions(options)
  const redactor = createRedactor()
  const degraded: string[] = []
  const log = (line: string): void => {
    try {
      checked.log(redactor.text(line))
    } catch {
      // A logger that throws must not break a request.
    }
  }
  const degrade = (message: string): void => {
    const line = redactor.text(message)
    if (!degraded.includes(line) && degraded.length < MAX_DEGRADED) degraded.push(line)
    log(`degraded: ${line}`)
  }
  // A recording to replay that cannot be loaded is a start error (typed), not a degraded state.
  const replay = checked.replay === undefined ? undefined : new ReplaySource(checked.replay)
  const recording =
    checked.out === undefined
      ? undefined
      : new GatewayRecording(checked.out, { ...pick(checked) }, degrade, {
          mode: checked.mode,
          policySource: checked.policySource,
        })
  const startedAt = new Date().toISOString()
  const counts = { requests: 0, errors: 0, synthetic: 0, syntheticRefused: 0 }
  let url = ''
  let port = 0
  const status = (): GatewayStatus => {
    const out: GatewayStatus = {
      url,
      port,
      pid: process.pid,
      mode: checked.mode,
      startedAt,
      ...counts,
      degraded: [...degraded],
    }
    if (checked.out !== undefined) out.artifact = checked.out
    if (checked.replay !== undefined) out.replay = checked.replay
    if (recording && recording.interrupted > 0) out.interrupted = recording.interrupted
    return out
  }
  const agents = createAgents()
  const context: GatewayContext = { options: checked, redactor, agents, counts, status, degrade, log }
  if (recording) context.recording = recording
  if (replay) context.replay = replay

  const inflight = new Set<Promise<void>>()
  const server = createServer((req, res) => {
    const done = handle(context, req, res)
      .catch((error: unknown) => {
        degrade(`gateway fault: ${error instanceof Error ? error.message : String(error)}`)
        if (!res.headersSent) {
          res.writeHead(502, { 'content-type': 'application/json' })
          res.end(JSON.stringify({ error: { message: '[ReplayKit gateway] internal fault; see the listener status' } }))
        } else res.destroy()
      })
      .finally(() => inflight.delete(done))
    inflight.add(done)
  })
  // Codex tries a WebSocket on /responses first: refused, it falls back to HTTP and SSE.
  server.on('upgrade', (_req, socket: Duplex) => refuseUpgrade(socket))
  server.keepAliveTimeout = 65_000
  try {
    await listen(server, checked.host, checked.port)
  } catch (error) {
    agents.http.destroy()
    agents.https.destroy()
    // Gives the file's lock back (held for the listener's life): a start that failed writes nothing.
    recording?.close()
    throw error
  }
  port = (server.address() as AddressInfo).port
  url = `http://${checked.host.includes(':') ? `[${checked.host}]` : checked.host}:${port}`
  log(
    `listening on ${url} (${checked.mode}${checked.out ? `, recording to ${checked.out}` : ''}${checked.replay ? `, replaying ${checked.replay}` : ''}; policy from ${checked.policySource})`,
  )

  if (recording && recording.interrupted > 0) {
    log(
      `recovered ${recording.interrupted} exchange(s) a stopped listener left in flight: written to ${checked.out} as interrupted (${'RPK_GATEWAY_INTERRUPTED'})`,
    )
  }
  let closing: Promise<GatewaySummary> | undefined
  return {
    url,
    port,
    status,
    close: () => {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
        server.closeIdleConnections()
        await Promise.race([Promise.allSettled([...inflight]), sleep(CLOSE_GRACE_MS)])
        server.closeAllConnections()
        await Promise.allSettled([...inflight])
        await stopped
        agents.http.destroy()
        agents.https.destroy()
        recording?.close()
        const written: GatewaySummary['written'] = { runs: recording?.runCount ?? 0, steps: recording?.steps ?? 0 }
        // Named only when it is there (an unwritable folder leaves nothing); a journal left by a failed compaction loads too.
        if (checked.out !== undefined && (existsSync(checked.out) || existsSync(journalPathFor(checked.out)))) {
          written.file = checked.out
        }
        log(
          `stopped: ${counts.requests} requests, ${written.steps} steps written${checked.out ? ` to ${checked.out}` : ''}`,
        )
        return { ...status(), written }
      })()
      return closing
    },
  }
}

function pick(checked: ReturnType<typeof checkOptions>): { maxSize?: number; maxAge?: number; keep?: number } {
  const out: { maxSize?: number; maxAge?: number; keep?: number } = {}
  if (checked.maxSize !== undefined) out.maxSize = checked.maxSize
  if (checked.maxAge !== undefined) out.maxAge = checked.maxAge
  if (checked.keep !== undefined) out.keep = checked.keep
  return out
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new PortInUseError(`Failed to start the gateway: port ${port} on ${host} is in use.`, {
            file: `--port ${port}`,
            cause: error,
          }),
        )
      } else reject(error)
    })
    server.listen(port, host, () => resolve())
  })
}

function refuseUpgrade(socket: Duplex): void {
  const body = JSON.stringify({
    error: {
      message: '[ReplayKit gateway] WebSocket is not supported: use HTTP (SSE) streaming.',
      type: 'websocket_unsupported',
    },
  })
  ;(socket as Socket).end(
    `HTTP/1.1 426 Upgrade Required\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  )
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref())
}
