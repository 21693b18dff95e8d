/**
 * TEMPORARY stand-in for part E's gateway (branch wt-e), with the interface of
 * /work/brief/gateway-interface.md, so that the CLI's `listen` commands can be
 * built and tested before it lands. Replaced by wt-e's file on merge.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { UsageError } from '../errors/classes.js'

export type GatewayProvider = 'openai' | 'anthropic' | 'gemini'
export interface GatewayOptions {
  host?: string
  port?: number
  out?: string
  replay?: string
  mode?: 'strict' | 'hybrid'
  synthetic?: boolean
  failOnSynthetic?: boolean
  upstreams?: Partial<Record<GatewayProvider, string>>
  maxSize?: number
  maxAge?: number
  keep?: number
  policySource?: string
  log?: (line: string) => void
}
export interface GatewayStatus {
  url: string
  port: number
  pid: number
  mode: 'live' | 'replay-strict' | 'replay-hybrid' | 'synthetic'
  artifact?: string
  replay?: string
  startedAt: string
  requests: number
  errors: number
  synthetic: number
  degraded: string[]
}
export interface GatewaySummary extends GatewayStatus {
  written: { file?: string; runs: number; steps: number }
}
export interface Gateway {
  readonly url: string
  readonly port: number
  status(): GatewayStatus
  close(): Promise<GatewaySummary>
}

const UPSTREAMS: Record<GatewayProvider, string> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
  gemini: 'https://generativelanguage.googleapis.com',
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const upstreams = { ...UPSTREAMS, ...options.upstreams }
  const startedAt = new Date().toISOString()
  let requests = 0
  let errors = 0
  const mode: GatewayStatus['mode'] = options.replay ? `replay-${options.mode ?? 'strict'}` : 'live'
  const status = (): GatewayStatus => ({
    url,
    port,
    pid: process.pid,
    mode,
    ...(options.out ? { artifact: options.out } : {}),
    ...(options.replay ? { replay: options.replay } : {}),
    startedAt,
    requests,
    errors,
    synthetic: 0,
    degraded: [],
  })
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = req.url ?? '/'
    if (path === '/__replaykit/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(status()))
      return
    }
    requests++
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const target = path.startsWith('/v1beta/')
      ? `${upstreams.gemini}${path}`
      : path.startsWith('/v1/messages')
        ? `${upstreams.anthropic}${path}`
        : `${upstreams.openai}${path.replace(/^\/v1/, '')}`
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers[name] = value
    }
    const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined
    const answer = await fetch(target, { method: req.method ?? 'GET', headers, ...(body ? { body } : {}) })
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' })
    res.end(Buffer.from(await answer.arrayBuffer()))
  }
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      errors++
      if (!res.headersSent) res.writeHead(502)
      res.end()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new UsageError(`Failed to start the gateway: port ${options.port} is in use.`, {
              hint: 'pick another port with --port, or --port 0 for a free one.',
              file: '--port',
            })
          : error,
      ),
    )
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`
  return {
    url,
    port,
    status,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      return { ...status(), written: { ...(options.out ? { file: options.out } : {}), runs: 0, steps: 0 } }
    },
  }
}

export function gatewayEnv(url: string): { url: string; env: Record<string, string>; codexArgs: string[] } {
  return {
    url,
    env: { OPENAI_BASE_URL: `${url}/v1`, ANTHROPIC_BASE_URL: url, GOOGLE_GEMINI_BASE_URL: url },
    codexArgs: [
      '-c',
      'model_provider=replaykit',
      '-c',
      `model_providers.replaykit={name="replaykit",base_url="${url}/v1",env_key="OPENAI_API_KEY",wire_api="responses",supports_websockets=false}`,
    ],
  }
}
