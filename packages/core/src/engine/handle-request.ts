/**
 * What a capture does with one intercepted request, by mode:
 *
 * - record, live-compare: let it through to the network, record both.
 * - strict: answer from the recording; a request with no recorded match never
 *   reaches the network and fails fast, naming ReplayKit and the difference.
 * - hybrid: answer from the recording when it matches, else send it live.
 */
import { passthrough } from 'msw'
import type { HttpRequestData } from '../artifact/types.js'
import { findAdapter } from '../providers/index.js'
import { permitLive } from './block-network.js'
import { type CaptureContext, elapsed, type LiveExchange } from './context.js'
import { endExchange, expectLiveResponse } from './live-response.js'
import { readRequest } from './read-request.js'
import type { RecordedExchange } from './recording-index.js'
import { replayResponse } from './replay-response.js'
import { runQueueMs } from './run-queue.js'

export async function handleRequest(context: CaptureContext, request: Request, requestId: string): Promise<Response> {
  const exchange: LiveExchange = {
    order: context.exchanges.length,
    request: { method: request.method, url: request.url, headers: {} },
    source: 'live',
    startMs: elapsed(context),
  }
  const queued = runQueueMs()
  if (queued !== undefined) exchange.queuedAtStart = queued
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
  return live(context, exchange, requestId)
}

function replay(context: CaptureContext, exchange: LiveExchange, matched: RecordedExchange): Response {
  exchange.source = 'replay'
  exchange.matched = matched
  if (matched.response) exchange.response = matched.response
  if (matched.error) exchange.error = matched.error
  // Until the body has been taken (timed), as a live exchange is timed.
  endExchange(context, exchange)
  if (!matched.response) return Response.error()
  return timed(replayResponse(matched.response, { pacing: context.pacing }), () => endExchange(context, exchange))
}

/**
 * The response with a body that calls `ended` once its last byte has been
 * taken: by the interceptor, writing it into the client's connection.
 *
 * @note The slowdown gate compares own time = total minus network, so network
 * must be measured alike on both sides. A live exchange lasts until our copy
 * of the body ends, and that copy is fed as the client's connection takes the
 * bytes. A replayed one ended when the handler returned, so the delivery of
 * the answer (and, with `pacing: 'recorded'`, every replayed gap) counted as
 * the code's own time: unchanged code replayed at 1.4–15× its recorded own time.
 */
function timed(response: Response, ended: () => void): Response {
  const source = response.body?.getReader()
  if (!source) return response
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await source.read()
        if (done) {
          ended()
          controller.close()
        } else controller.enqueue(value)
      } catch (error) {
        ended()
        controller.error(error)
      }
    },
    cancel(reason) {
      return source.cancel(reason)
    },
  })
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers })
}

/**
 * Let the request through to the network as the client sent it; its response
 * is recorded from the interceptor's copy (live-response.ts).
 */
function live(context: CaptureContext, exchange: LiveExchange, requestId: string): Response {
  expectLiveResponse(requestId, context, exchange)
  context.permits.push(permitLive(exchange.request.url))
  return passthrough()
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
  }. The request was not sent. Re-record with \`${context.rerecord}\` if the change is intended.`
  exchange.error = { message, code: 'RPK_REPLAY_MISS' }
  endExchange(context, exchange)
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
export function refusalResponse(request: HttpRequestData, message: string): Response {
  const found = findAdapter(request.method, request.url)
  if (!found) return Response.error()
  const headers = { 'content-type': 'application/json', 'x-should-retry': 'false', connection: 'close' }
  const error = found.adapter.refusalBody(found.endpoint, message)
  return new Response(JSON.stringify(error), { status: 400, headers })
}

function describe(request: HttpRequestData): string {
  return `${request.method} ${request.url}`
}
