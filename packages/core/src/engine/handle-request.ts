/**
 * What a capture does with one intercepted request, by mode:
 *
 * - record, live-compare: send it live, pass the answer on, record both.
 * - strict: answer from the recording; a request with no recorded match never
 *   reaches the network and fails fast, naming ReplayKit and the difference.
 * - hybrid: answer from the recording when it matches, else send it live.
 */
import { bypass } from 'msw'
import type { HttpRequestData } from '../artifact/types.js'
import { findAdapter } from '../providers/index.js'
import { type CaptureContext, elapsed, forward, type LiveExchange } from './context.js'
import { passOnHeaders } from './headers.js'
import { readRequest } from './read-request.js'
import { readResponse } from './read-response.js'
import type { RecordedExchange } from './recording-index.js'
import { replayResponse } from './replay-response.js'
import { CAPTURE_HEADER } from './request-tag.js'

export async function handleRequest(context: CaptureContext, request: Request): Promise<Response> {
  const exchange: LiveExchange = {
    order: context.exchanges.length,
    request: { method: request.method, url: request.url, headers: {} },
    source: 'live',
    startMs: elapsed(context),
  }
  context.exchanges.push(exchange)
  // Match in arrival order: concurrent identical requests take recorded occurrences first come, first served.
  let matched: RecordedExchange | undefined
  let key = ''
  const turn = context.queue.then(async () => {
    exchange.request = context.redactor.request(await readRequest(request.clone()))
    key = context.keyOf(exchange.request)
    if (context.index && (context.mode === 'strict' || context.mode === 'hybrid')) matched = context.index.take(key)
  })
  context.queue = turn.catch(() => undefined)
  await turn

  if (context.mode === 'strict' || context.mode === 'hybrid') {
    if (matched) return replay(context, exchange, matched)
    if (context.mode === 'strict') return refuse(context, exchange)
    context.problems.push({
      type: 'live-request',
      seq: exchange.order,
      method: exchange.request.method,
      url: exchange.request.url,
      message: `no recorded response matched ${describe(exchange.request)}: sent it live (hybrid mode)`,
    })
  }
  return live(context, exchange, request)
}

function replay(context: CaptureContext, exchange: LiveExchange, matched: RecordedExchange): Response {
  exchange.source = 'replay'
  exchange.matched = matched
  if (matched.response) exchange.response = matched.response
  if (matched.error) exchange.error = matched.error
  exchange.endMs = elapsed(context)
  if (!matched.response) return Response.error()
  return replayResponse(matched.response, { pacing: context.pacing })
}

async function live(context: CaptureContext, exchange: LiveExchange, request: Request): Promise<Response> {
  let response: Response
  try {
    response = await forward(() => fetch(liveRequest(request)))
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause
    exchange.error = { message: cause?.message ?? (error as Error).message }
    if (cause?.code) exchange.error.code = cause.code
    exchange.endMs = elapsed(context)
    return Response.error()
  }
  const passed = new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: passOnHeaders(response.headers),
  })
  // Our copy is read in the background: the client gets its stream without waiting on us.
  const ours = passed.clone()
  const recorded = readResponse(ours).then(({ response: data, endedAt }) => {
    exchange.response = context.redactor.response(data, exchange.request.url)
    exchange.endMs = Math.round((endedAt - context.t0) * 1000) / 1000
  })
  context.pending.add(recorded)
  void recorded.finally(() => context.pending.delete(recorded))
  return passed
}

/**
 * The request as sent live: marked for MSW to let through, on a connection of
 * its own.
 *
 * @note `connection: close` keeps the engine's real socket out of the shared
 * keep-alive pool. Pooled, a later client request to the same origin would be
 * written onto it, and the interceptor would hand that request to us in the
 * async context of this forward (or of a finished capture): unattributed, it
 * went live even in strict mode, or was recorded into the wrong run.
 */
function liveRequest(request: Request): Request {
  const outgoing = bypass(request)
  outgoing.headers.set('connection', 'close')
  outgoing.headers.delete(CAPTURE_HEADER)
  return outgoing
}

/** Strict mode, no match: keep the divergence for the report and fail the request fast. */
function refuse(context: CaptureContext, exchange: LiveExchange): Response {
  exchange.source = 'refused'
  const nearest = context.index?.nearest(exchange.request.method, exchange.request.url)
  if (nearest) {
    nearest.used = true
    exchange.matched = nearest
  }
  const message = `[ReplayKit] strict replay: no recorded response matches ${describe(exchange.request)}${
    nearest ? ' (it differs from the recorded request at the same position; see the divergence report)' : ''
  }. The request was not sent. Re-record with \`replaykit test --update-replays\` if the change is intended.`
  exchange.error = { message, code: 'RPK_REPLAY_MISS' }
  exchange.endMs = elapsed(context)
  context.problems.push({
    type: 'unmatched-request',
    seq: exchange.order,
    method: exchange.request.method,
    url: exchange.request.url,
    message,
  })
  return refusalResponse(exchange.request, message)
}

/**
 * A provider-shaped 400 with `x-should-retry: false` for LLM endpoints (the SDKs
 * throw it at once instead of retrying a network error with backoff); a network
 * error for anything else.
 */
function refusalResponse(request: HttpRequestData, message: string): Response {
  const found = findAdapter(request.method, request.url)
  if (!found) return Response.error()
  const headers = { 'content-type': 'application/json', 'x-should-retry': 'false', connection: 'close' }
  const error =
    found.adapter.provider === 'anthropic'
      ? { type: 'error', error: { type: 'invalid_request_error', message } }
      : found.adapter.provider === 'gemini'
        ? { error: { code: 400, message, status: 'FAILED_PRECONDITION' } }
        : { error: { message, type: 'replaykit_replay_miss', code: 'replay_miss', param: null } }
  return new Response(JSON.stringify(error), { status: 400, headers })
}

function describe(request: HttpRequestData): string {
  return `${request.method} ${request.url}`
}
