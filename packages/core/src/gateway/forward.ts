/**
 * Live: the request goes to the upstream as the client sent it (auth,
 * `anthropic-version`, `anthropic-beta` and every other header unchanged but
 * the connection's own), and the answer comes back as the upstream gave it,
 * status and error bodies included, streamed as it arrives. A copy of the
 * body (a tee) is read for the recording at the same pace.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http'
import type { HttpResponseData } from '../artifact/types.js'
import { readResponse } from '../engine/read-response.js'
import { noAnswer } from './answers.js'
import { relay, sendAnswer } from './relay.js'
import type { GatewayProvider } from './types.js'

/** Request headers that belong to the client's connection to us. */
const HOP = new Set([
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'upgrade',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'trailer',
  'x-replaykit-session',
])

export type LiveOutcome =
  | { response: HttpResponseData; endedAt: number }
  | { error: { message: string; code?: string }; endedAt: number }

export function forwardHeaders(headers: IncomingHttpHeaders): Headers {
  const out = new Headers()
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP.has(name)) continue
    if (Array.isArray(value)) for (const each of value) out.append(name, each)
    else out.set(name, value)
  }
  return out
}

/**
 * Send the request upstream and relay the answer to `res`. Resolves with what
 * was recorded once both the client's copy and the recording's are done.
 * `commit` gets that outcome once, before the client's response is ended when
 * the answer came whole (see relay).
 */
export async function forward(
  provider: GatewayProvider,
  url: string,
  method: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
  res: ServerResponse,
  commit: (outcome: LiveOutcome) => void = () => {},
): Promise<LiveOutcome> {
  const controller = new AbortController()
  // The client went away: stop reading the upstream too (recorded as interrupted).
  res.on('close', () => {
    if (!res.writableFinished) controller.abort(new Error('the client closed the connection'))
  })
  let upstream: Response
  try {
    upstream = await fetch(url, {
      method,
      headers: forwardHeaders(headers),
      body: body.length > 0 && method !== 'GET' && method !== 'HEAD' ? (body as unknown as BodyInit) : null,
      redirect: 'manual',
      signal: controller.signal,
    })
  } catch (error) {
    const { message, code, timeout } = failure(error)
    const outcome: LiveOutcome = {
      error: code === undefined ? { message } : { message, code },
      endedAt: performance.now(),
    }
    commit(outcome)
    sendAnswer(res, noAnswer(provider, new URL(url).origin, message, timeout))
    return outcome
  }
  const [toClient, toRecord] = upstream.body ? upstream.body.tee() : [null, null]
  const recorded = toRecord
    ? readResponse(
        new Response(toRecord, { status: upstream.status, statusText: upstream.statusText, headers: upstream.headers }),
      )
    : readResponse(upstream)
  let committed = false
  const settle = async (): Promise<void> => {
    const outcome = await recorded
    if (committed) return
    committed = true
    commit(outcome)
  }
  await relay(upstream, toClient, res, settle)
  await settle()
  return recorded
}

function failure(error: unknown): { message: string; code?: string; timeout: boolean } {
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause
  const code = cause?.code ?? (error as { code?: string } | undefined)?.code
  const message = cause?.message ?? (error instanceof Error ? error.message : String(error))
  const timeout = typeof code === 'string' && /TIMEOUT/i.test(code)
  return code === undefined ? { message, timeout } : { message, code, timeout }
}
