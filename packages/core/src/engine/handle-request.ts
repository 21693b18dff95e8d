/**
 * Carrying out the recorder's verdict (recorder/recorder.ts) for one request
 * of a running capture, through the frame its transport gave (transport/port.ts):
 *
 * - replay: answer from the recording (`respondWith`, or `errorWith` for a recorded network error).
 * - live: let it through to the network (`passthrough`); the answer is recorded (live-response.ts).
 * - refuse: never sent; a provider-shaped 400 or a network error, and the miss is reported.
 */
import type { HttpRequestData } from '../artifact/types.js'
import { runHook } from '../plugins/active.js'
import { findAdapter } from '../providers/index.js'
import { permitLive } from './block-network.js'
import { type CaptureContext, elapsed, type LiveExchange } from './context.js'
import { endExchange, expectLiveResponse } from './live-response.js'
import { readRequest } from './read-request.js'
import { decide, type Verdict } from './recorder/recorder.js'
import type { RecordedExchange } from './recording-index.js'
import { replayParts, replayResponse } from './replay-response.js'
import { runQueueMs } from './run-queue.js'
import { answerRefusal, type RequestFrame } from './transport/port.js'

export async function handleRequest(context: CaptureContext, frame: RequestFrame): Promise<void> {
  const { data } = frame
  const exchange: LiveExchange = {
    order: context.exchanges.length,
    request: data
      ? { method: data.method, url: data.url, headers: {} }
      : { method: frame.request.method, url: frame.request.url, headers: {} },
    source: 'live',
    startMs: elapsed(context),
  }
  if (context.clientWaits.some((wait) => wait.endMs === undefined)) exchange.inWait = true
  else exchange.queuedAtStart = runQueueMs()
  context.exchanges.push(exchange)
  // Decided in arrival order: concurrent identical requests take recorded occurrences first come, first served.
  const turn = context.queue.then(async (): Promise<Verdict> => {
    exchange.request = context.redactor.request(data ?? (await readRequest(frame.request.clone())))
    // The key runs the plugins' beforeMatch (plugins/match-key.ts): a custom matcher.
    const verdict = decide(context, exchange.request, context.keyOf(exchange.request), exchange.order)
    if (verdict.type === 'replay')
      await runHook('onMatch', { request: exchange.request, recorded: verdict.matched.request })
    else await runHook('onMiss', { request: exchange.request, verdict: verdict.type })
    return verdict
  })
  context.queue = turn.then(
    () => undefined,
    () => undefined,
  )
  let verdict: Verdict
  try {
    verdict = await turn
  } catch (error) {
    return failByPlugin(context, exchange, frame, error)
  }

  if (verdict.type === 'replay') {
    try {
      const { response } = verdict.matched
      if (response) {
        const hooked = await runHook('beforeReplay', { request: exchange.request, response }, 'response')
        if (hooked.response !== response)
          return replay(context, exchange, { ...verdict.matched, response: hooked.response }, frame)
      }
    } catch (error) {
      return failByPlugin(context, exchange, frame, error)
    }
    return replay(context, exchange, verdict.matched, frame)
  }
  if (verdict.type === 'refuse') return refuse(context, exchange, verdict, frame)
  if (verdict.problem) context.problems.push(verdict.problem)
  return live(context, exchange, frame)
}

function replay(context: CaptureContext, exchange: LiveExchange, matched: RecordedExchange, frame: RequestFrame): void {
  exchange.source = 'replay'
  exchange.matched = matched
  if (matched.response) exchange.response = matched.response
  if (matched.error) exchange.error = matched.error
  // Until the body has been taken (timed), as a live exchange is timed.
  endExchange(context, exchange)
  if (!matched.response) {
    frame.errorWith(new Error(matched.error?.message ?? 'recorded network error'))
    return
  }
  const delivered = (): void => endExchange(context, exchange)
  const parts = frame.respondWithParts ? replayParts(matched.response, { pacing: context.pacing }) : undefined
  if (parts && frame.respondWithParts) {
    frame.respondWithParts(parts, delivered)
    return
  }
  const response = replayResponse(matched.response, { pacing: context.pacing })
  if (frame.reportsDelivery) frame.respondWith(response, delivered)
  else frame.respondWith(timed(response, delivered))
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
 * is recorded from the transport's copy (live-response.ts).
 */
function live(context: CaptureContext, exchange: LiveExchange, frame: RequestFrame): void {
  expectLiveResponse(frame.id, context, exchange)
  context.permits.push(permitLive(exchange.request.url))
  frame.passthrough()
}

/** A plugin's hook threw: the request fails with the plugin's error, and the capture reports it. */
function failByPlugin(context: CaptureContext, exchange: LiveExchange, frame: RequestFrame, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error)
  exchange.source = 'refused'
  exchange.error = { message, code: 'RPK_BAD_PLUGIN' }
  endExchange(context, exchange)
  const { method, url } = exchange.request
  context.problems.push({ type: 'plugin-failed', seq: exchange.order, method, url, message })
  frame.errorWith(error)
}

/** No match where the mode refuses: keep the divergence for the report and fail the request fast. */
function refuse(
  context: CaptureContext,
  exchange: LiveExchange,
  verdict: Extract<Verdict, { type: 'refuse' }>,
  frame: RequestFrame,
): void {
  exchange.source = 'refused'
  if (verdict.nearest) exchange.matched = verdict.nearest
  exchange.error = { message: verdict.message, code: 'RPK_REPLAY_MISS' }
  endExchange(context, exchange)
  context.problems.push(verdict.problem)
  answerRefusal(frame, refusalResponse(exchange.request, verdict.message), verdict.message)
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
