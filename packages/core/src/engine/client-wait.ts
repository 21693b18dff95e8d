/**
 * The time the code's HTTP clients spent waiting on requests, seen from the
 * client: the network time the slowdown gate takes out of a run's wall time.
 *
 * A request's wait runs from the moment its client creates it
 * (`undici:request:create`, `http.client.request.created`) until the client has
 * the whole answer (`undici:request:trailers`, the response's `end`) or gives
 * up (`undici:request:error`, `http.client.request.error`, the request's
 * `close`). Both ends are the client's own events, published alike whether the
 * bytes come from the provider (record) or from the recording (replay, with
 * or without `pacing: 'recorded'`), so what is left, the code's own time, is
 * measured the same way on both sides.
 *
 * @note Measured at the engine instead (from the request reaching the handler
 * to the interceptor taking the last byte), own time also held the client's
 * and the interceptor's work around each request, which differs between a
 * live socket and a replayed answer: unchanged code replayed at 1.4–2.8× its
 * recorded own time, and a replayed gap of `pacing: 'recorded'` at 11×.
 * @note The channels are process-wide and synchronous: the create/start
 * events run in the caller's async context, which names the capture.
 */
import diagnostics from 'node:diagnostics_channel'
import { errorMonitor } from 'node:events'
import { currentContext } from './context.js'
import { runQueueMs } from './run-queue.js'
import { shared } from './runtime/runtime.js'

/** One request's wait, in ms since the capture began, with the thread's run-queue time at both ends. */
export interface ClientWait {
  startMs: number
  endMs?: number
  queuedAtStart?: number
  queuedAtEnd?: number
  /** Origin and path of the request, when the client tells them. */
  url?: string
  /** Why the client gave up: its own error (`connect ECONNREFUSED 127.0.0.1:8080`). */
  error?: { message: string; code?: string }
}

/** Requests being waited on: undici's request objects and node:http's ClientRequests. */
const open = new WeakMap<object, { wait: ClientWait; t0: number }>()

function begin(request: unknown, url?: string): ClientWait | undefined {
  // One wait per request: node:http publishes both `created` and (once it is written) `start`.
  if (typeof request !== 'object' || request === null || open.has(request)) return undefined
  const context = currentContext()
  if (!context || context.closed) return undefined
  const wait: ClientWait = { startMs: performance.now() - context.t0 }
  if (url) wait.url = url
  wait.queuedAtStart = runQueueMs()
  context.clientWaits.push(wait)
  open.set(request, { wait, t0: context.t0 })
  return wait
}

function end(request: unknown, error?: unknown): void {
  if (typeof request !== 'object' || request === null) return
  const entry = open.get(request)
  if (!entry) return
  const { wait, t0 } = entry
  if (error instanceof Error && !wait.error) {
    const code = (error as { code?: unknown }).code
    wait.error = typeof code === 'string' ? { message: error.message, code } : { message: error.message }
  }
  if (wait.endMs !== undefined) return
  wait.endMs = performance.now() - t0
  wait.queuedAtEnd = runQueueMs()
}

interface Emitter {
  once?: (event: string | symbol, listener: (error: unknown) => void) => unknown
}

const handlers: Record<string, (message: unknown) => void> = {
  'undici:request:create': (message) => {
    const request = (message as { request?: { origin?: unknown; path?: unknown } }).request
    begin(request, typeof request?.origin === 'string' ? urlOf(request.origin, request.path) : undefined)
  },
  'undici:request:trailers': (message) => end((message as { request?: unknown }).request),
  'undici:request:error': (message) => {
    const { request, error } = message as { request?: unknown; error?: unknown }
    end(request, error)
  },
  // @note `created` is published as the ClientRequest is made, in the caller's context; `start`
  // (the only one before Node 22.12) only once the request is written, after the socket is
  // connected: a replayed connection is set up faster than a live one, and that time counted
  // as own time in record alone.
  'http.client.request.created': (message) => beginHttp((message as { request?: unknown }).request),
  'http.client.request.start': (message) => beginHttp((message as { request?: unknown }).request),
  'http.client.response.finish': (message) => {
    const { request, response } = message as { request?: unknown; response?: Emitter }
    // Published when the headers are in: the wait lasts until the body has ended.
    if (typeof response?.once === 'function') response.once('end', () => end(request))
    else end(request)
  },
  'http.client.request.error': (message) => {
    const { request, error } = message as { request?: unknown; error?: unknown }
    end(request, error)
  },
}

function beginHttp(request: unknown): void {
  const r = request as { protocol?: unknown; path?: unknown; getHeader?: (name: string) => unknown } | undefined
  const host = typeof r?.getHeader === 'function' ? r.getHeader('host') : undefined
  const url =
    typeof r?.protocol === 'string' && typeof host === 'string' ? urlOf(`${r.protocol}//${host}`, r.path) : undefined
  if (!begin(request, url)) return
  const emitter = request as Emitter
  // Its error is watched through errorMonitor, which leaves an unhandled error unhandled: an
  // interceptor's socket emits it on the request without `http.client.request.error`.
  emitter.once?.(errorMonitor, (error: unknown) => end(request, error))
  // A request that fails, is aborted or ends without a response stops waiting when it closes.
  emitter.once?.('close', () => end(request))
}

/**
 * A wait published by a transport that answers a client above its connections, where the
 * client's own events never fire (fetch-dispatcher.ts: undici's `undici:request:create` is
 * published by the connection's request, which a replayed fetch never makes). Begun as the client
 * dispatches, as undici's is, and ended by `endClientWait` once the client has the whole answer.
 */
export function beginClientWait(request: object, origin: string | URL, path: string): void {
  begin(request, urlOf(String(origin), path))
}

/** End a wait begun with beginClientWait (idempotent), with the client's error if it failed. */
export function endClientWait(request: object, error?: unknown): void {
  end(request, error)
}

/** Start measuring client waits for every capture (idempotent, for the life of the process). */
export function watchClientWaits(): void {
  // Through the runtime: any number of copies of core in one process (ESM and CJS) subscribe one
  // set of listeners, and the captures they find (context.ts) are shared too.
  shared('client-wait-listeners', () => {
    for (const [name, handler] of Object.entries(handlers)) diagnostics.subscribe(name, handler)
    return true
  })
}

/** Origin and path, without the query (which redaction may have changed in the stored request). */
function urlOf(origin: string, path: unknown): string | undefined {
  try {
    const url = new URL(typeof path === 'string' ? path : '/', origin)
    return `${url.origin}${url.pathname}`
  } catch {
    return undefined
  }
}

/**
 * The client's own error for a request of `url` (an exchange's) that started no later than
 * `atMs`: what a live request that got no response failed with, for the recording and the warning.
 */
export function clientErrorOf(
  waits: readonly ClientWait[],
  url: string,
  atMs: number,
): { message: string; code?: string } | undefined {
  let key: string | undefined
  try {
    const parsed = new URL(url)
    key = `${parsed.origin}${parsed.pathname}`
  } catch {
    return undefined
  }
  for (let i = waits.length - 1; i >= 0; i--) {
    const wait = waits[i] as ClientWait
    if (wait.error && wait.url === key && wait.startMs <= atMs) return wait.error
  }
  return undefined
}
