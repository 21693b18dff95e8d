/**
 * Recording a live exchange without sending it twice.
 *
 * A request that goes live is let through by MSW (`passthrough()`): the client
 * talks to the server over its own connection and gets the server's bytes
 * unchanged (encodings, framing, redirects and all, each redirect hop an
 * exchange of its own). The interceptor parses the same bytes into a second
 * Response and hands it to its `response` listeners, keyed by request id:
 * that copy is the one recorded.
 *
 * @note This replaced a second `fetch` made by the engine (parsed and handled
 * by the interceptor once more, on a fresh connection each time): recording
 * cost two to three times a plain pass-through; now both pay for one
 * interception. The listener must not await the body: the client's response
 * is held until the listeners settle.
 */
import { Duplex } from 'node:stream'
import zlib from 'node:zlib'
import { clientErrorOf } from './client-wait.js'
import type { CaptureContext, LiveExchange, LiveRead } from './context.js'
import { type ReadWatcher, readResponse } from './read-response.js'
import { runQueueMs } from './run-queue.js'
import { shared } from './runtime/runtime.js'

interface Awaiting {
  context: CaptureContext
  exchange: LiveExchange
}

/**
 * How long a recorded body may go without a byte once the capture's code has
 * returned before the recording stops waiting for it. Our copy is fed by the
 * client's connection: a large body the code never reads stops arriving
 * (backpressure), and a connection cut mid-body never signals the copy's end.
 */
export const STALL_MS = 500

/**
 * Live requests whose response has not come yet, by the interceptor's request id.
 *
 * @note In the runtime, not this module: the copy of core whose interceptor sees the response
 * may not be the copy whose capture abandons it (a request with no answer was left out of the run).
 */
function awaitingResponses(): Map<string, Awaiting> {
  return shared('awaiting-responses', () => new Map<string, Awaiting>())
}

/** Note that this request goes live and its response is to be recorded into `exchange`. */
export function expectLiveResponse(requestId: string, context: CaptureContext, exchange: LiveExchange): void {
  awaitingResponses().set(requestId, { context, exchange })
  context.liveIds.add(requestId)
}

/** End the exchange's network time now (or at `at`, a performance.now() time), with the run-queue time. */
export function endExchange(context: CaptureContext, exchange: LiveExchange, at: number = performance.now()): void {
  exchange.endMs = Math.round((at - context.t0) * 1000) / 1000
  if (exchange.inWait) return
  exchange.queuedAtEnd = runQueueMs()
}

/**
 * The interceptor's `response` listener: start reading the original response
 * of a live request (in the background), redact it and store it.
 */
export function recordLiveResponse(requestId: string, response: Response): void {
  const awaiting = awaitingResponses()
  const entry = awaiting.get(requestId)
  if (!entry) return
  awaiting.delete(requestId)
  const { context, exchange } = entry
  context.liveIds.delete(requestId)
  const { read, watcher } = watch()
  read.done = readResponse(decoded(response), watcher)
    .then(({ response: data, endedAt }) => {
      exchange.response = context.redactor.response(data, exchange.request.url)
      endExchange(context, exchange, endedAt)
    })
    .finally(() => {
      context.liveReads.delete(read)
      exchange.onSettled?.()
    })
  context.liveReads.add(read)
}

/**
 * A request we let through was answered by a later listener's mock (a user's
 * MSW server that subscribed after ours): the user's MSW answered it, so it is
 * not ours to record, as when their handler runs first (interceptor.ts). On
 * replay their handler answers it again.
 */
export function answeredByUser(requestId: string): void {
  const awaiting = awaitingResponses()
  const entry = awaiting.get(requestId)
  if (!entry) return
  awaiting.delete(requestId)
  const { context, exchange } = entry
  context.liveIds.delete(requestId)
  const at = context.exchanges.indexOf(exchange)
  if (at >= 0) context.exchanges.splice(at, 1)
  exchange.onSettled?.()
}

/**
 * Wait for the capture's body reads, stopping those that stall (STALL_MS
 * without a byte): what came is kept, recorded as cut off at that point.
 */
export async function settleLiveReads(context: CaptureContext): Promise<void> {
  while (context.liveReads.size > 0) {
    let timer: ReturnType<typeof setTimeout> | undefined
    const tick = new Promise((resolve) => {
      timer = setTimeout(resolve, STALL_MS)
    })
    await Promise.race([Promise.allSettled([...context.liveReads].map((read) => read.done)), tick])
    clearTimeout(timer)
    const now = performance.now()
    for (const read of context.liveReads) {
      if (now - read.lastChunkAt >= STALL_MS) {
        read.stop(
          `no more of the body arrived for ${STALL_MS} ms after the code returned (it did not read the rest, or the connection was cut): recorded up to here`,
        )
      }
    }
  }
}

/**
 * The handle on a live read that can cut it from our side, and the watcher
 * that keeps its last chunk's time (for the stall check above).
 *
 * @note The read is followed from inside readResponse's own loop rather than
 * through a second stream wrapped around the body (a ReadableStream, a
 * Response and a pull per chunk for every recorded exchange): part of what
 * recording cost over a plain pass-through (benchmark 2).
 */
function watch(): { read: LiveRead; watcher: ReadWatcher } {
  let stopRead: ((reason: string) => void) | undefined
  let stoppedWith: string | undefined
  const read: LiveRead = {
    lastChunkAt: performance.now(),
    done: Promise.resolve(),
    stop(reason) {
      if (stopRead) stopRead(reason)
      else stoppedWith ??= reason
    },
  }
  const watcher: ReadWatcher = {
    onChunk(at) {
      read.lastChunkAt = at
    },
    onStart(stop) {
      stopRead = stop
      // Stopped before the read began (it starts at once, so only in theory): stop it now.
      if (stoppedWith !== undefined) stop(stoppedWith)
    },
  }
  return { read, watcher }
}

/**
 * At the end of a capture: live requests that never got a response (the
 * connection failed, or the code did not wait for it) are recorded as errors,
 * and forgotten here.
 */
export function abandonLiveResponses(context: CaptureContext): void {
  const awaiting = awaitingResponses()
  for (const requestId of context.liveIds) {
    const entry = awaiting.get(requestId)
    awaiting.delete(requestId)
    if (entry && !entry.exchange.response && !entry.exchange.error) {
      // The client's own words (`connect ECONNREFUSED 127.0.0.1:8080`) say which failure it was.
      const cause = clientErrorOf(context.clientWaits, entry.exchange.request.url, entry.exchange.startMs)
      entry.exchange.error = {
        message: `no response: ${cause ? `${cause.message}: ` : ''}the connection failed or closed before the server answered`,
        code: 'RPK_NO_RESPONSE',
      }
    }
  }
  context.liveIds.clear()
}

const DECODERS: Record<string, () => Duplex> = {
  gzip: () => zlib.createGunzip(),
  'x-gzip': () => zlib.createGunzip(),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
}

/**
 * The response with its body decoded, as recordings keep bodies readable (and
 * replay serves them without an encoding). The raw copy comes as sent, so a
 * compressed body is still compressed here.
 */
export function decoded(response: Response): Response {
  const header = response.headers.get('content-encoding')
  if (!header || !response.body) return response
  const encodings = header
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '' && name !== 'identity')
  // Unknown encodings are kept as they are (stored as bytes).
  if (!encodings.every((name) => name in DECODERS)) return response
  let body = response.body as ReadableStream<Uint8Array>
  // Applied in the order listed: undo them last first.
  for (const name of encodings.reverse()) {
    body = body.pipeThrough(Duplex.toWeb((DECODERS[name] as () => Duplex)()) as ReadableWritablePair<Uint8Array>)
  }
  const headers = new Headers(response.headers)
  headers.delete('content-encoding')
  headers.delete('content-length')
  return new Response(body, { status: response.status, statusText: response.statusText, headers })
}
