/**
 * The second in-process transport: strict replays of the global `fetch`,
 * answered at undici's dispatcher, before a socket exists.
 *
 * Through MSW (interceptor.ts) a replayed `fetch` costs what a live call
 * costs and more: undici opens a connection to a socket the interceptor
 * fakes, writes the request as HTTP bytes, the interceptor parses them back
 * into a `Request`, and writes our `Response` out as HTTP bytes that undici
 * parses again. Profiled (docs/performance.md), that round trip was most of a
 * replayed request; a mock server on a real loopback port (aimock) was
 * cheaper. Here the global dispatcher (the one `globalThis.fetch` sends
 * through, `Symbol.for('undici.globalDispatcher.1')`) is wrapped: a request of
 * a running strict capture is handed to the engine as a frame and the answer
 * goes straight into fetch's response handler.
 *
 * Everything else goes down to the dispatcher below, unchanged, and so to the
 * MSW transport: requests outside captures, record, hybrid and live-compare
 * modes (their live requests are let through and recorded from MSW's copy),
 * late requests, upgrades, and every request while a user's own MSW server
 * listens (their handlers answer first, as they do through MSW) or while the
 * dispatcher below is a user's `MockAgent`. Strict mode never lets a request
 * through, so a request taken here never needs the network.
 *
 * @note node:http, undici's own `request()`/Pool and the npm `undici` package's
 * `fetch` (another global dispatcher slot) do not come here: MSW keeps them.
 */
// @note From node:timers, not the global: a test's fake timers (vi.useFakeTimers, Jest's) replace the
// global `setImmediate`, and every replayed fetch then waited for the test to advance its clock.
import { setImmediate } from 'node:timers'
import type { HttpRequestData } from '../../artifact/types.js'
import { decodeBody } from '../body.js'
import { beginClientWait, endClientWait } from '../client-wait.js'
import { currentContext } from '../context.js'
import { storedHeaderRecord } from '../headers.js'
import { strategyOf } from '../recorder/modes.js'
import type { ReplayParts } from '../replay-response.js'
import { type InterceptionControls, interceptionControls } from '../runtime/interception-slot.js'
import { normalizeUrl } from '../url.js'
import { type Delivery, deliver, deliverParts, type FetchHandler } from './fetch-delivery.js'
import { type DispatchHeaders, readDispatchedBody } from './fetch-request-body.js'
import type { Dispatch, RequestFrame, Transport } from './port.js'

/** The slot Node's bundled undici reads its global dispatcher from (undici's lib/global.js). */
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1')
/** The npm `undici` package's own slot (7.x and later): it wraps what it holds into the slot above. */
const NPM_GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.2')

/** What we call of the dispatcher below. */
interface Dispatcher {
  dispatch(options: DispatchOptions, handler: FetchHandler): boolean
  readonly isMockActive?: boolean
}

/** The options `fetch` dispatches with (undici's lib/web/fetch/index.js, httpNetworkFetch). */
interface DispatchOptions {
  origin: string | URL
  path: string
  method: string
  headers?: DispatchHeaders
  body?: unknown
  upgrade?: string | null
}

type Globals = typeof globalThis & { [GLOBAL_DISPATCHER]?: Dispatcher }

export const fetchTransport: Transport = { name: 'fetch-dispatcher', install }

let frames = 0

function install(dispatch: Dispatch): () => void {
  const globals = globalThis as Globals
  // Node creates its global dispatcher when its bundled undici loads, which the first call of
  // `fetch` or the first touch of `Headers`, `Request` or `Response` does (reading `globalThis.fetch`
  // does not): touch `Headers`, so that there is one to wrap.
  // @note Before, a worker whose code had not used fetch or those classes yet (a plain `fetch` test,
  // the first capture of a file) found no dispatcher here, and every strict replay of the process
  // went through MSW instead, loaded inside the first capture's requests.
  void globalThis.Headers
  controls = interceptionControls()
  const below = globals[GLOBAL_DISPATCHER]
  // Only undici's own Agent (Node's default, or one a user set for its options) is answered above:
  // a MockAgent, a ProxyAgent, a composed dispatcher (retry, cache) or the npm package's wrapper of
  // one keeps every request, and MSW answers below it as before.
  if (!below || typeof below.dispatch !== 'function' || !isUndiciAgent(below)) return () => {}
  // A proxy, not a new Agent: everything but `dispatch` (close, destroy, events, instanceof) is the original's.
  const wrapper = new Proxy(below, {
    get(target, property) {
      if (property === 'dispatch') return ownDispatch
      // @note undici's fetch reads this as it dispatches (httpNetworkFetch): when true it hands over the
      // body as fetch was given it (its source) instead of an async iterable over the body stream of the
      // request's clone, a tee. A strict replay reads the body whole: reading it through the tee was
      // most of what a replayed POST spent in web streams (docs/performance.md, Jest suites). Said only
      // for a request ownDispatch will take, as a MockAgent says it for the requests it answers.
      if (property === 'isMockActive' && target.isMockActive !== true && strictContext(target)) return true
      const value = Reflect.get(target, property, target) as unknown
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  function ownDispatch(options: DispatchOptions, handler: FetchHandler): boolean {
    const context = takenHere(below as Dispatcher, options, handler)
    if (!context) return (below as Dispatcher).dispatch(options, handler)
    // The client's wait, from here to its whole answer, as undici's own events time it for a live
    // request (client-wait.ts): without it, the record run and the replay timed different spans and
    // a replay's first request, cold, counted as the code's own time (slowdown gate, 3.5x).
    beginClientWait(handler, options.origin, options.path)
    const ended = (error?: unknown) => endClientWait(handler, error)
    void readDispatchedBody(options.body, options.headers).then(
      ({ body, headers }) => {
        const sent = headers === options.headers ? options : { ...options, headers }
        // @note One turn of the event loop first, as a socket's connect took through MSW: a request
        // the code did not wait for (`fetch(url)` and return) is a late one when `fn` returned in
        // the meantime, and MSW sees it after the capture closed (late.ts). Answered here at once,
        // it joined the run as an unmatched request instead of a late one.
        setImmediate(() => {
          if (context.returned) {
            ended()
            ;(below as Dispatcher).dispatch({ ...sent, body: body ?? null }, handler)
          } else void answer(partsOf(sent, body), handler, (frame) => dispatch(frame, { context })).then(ended)
        })
      },
      (error: unknown) => {
        ended(error)
        handler.onError?.(error instanceof Error ? error : new Error(String(error)))
      },
    )
    return true
  }
  try {
    globals[GLOBAL_DISPATCHER] = wrapper
  } catch {
    // A frozen slot: MSW answers every request, as before.
    return () => {}
  }
  return () => {
    // Only ours: a dispatcher a user set since stays.
    if (globals[GLOBAL_DISPATCHER] === wrapper) globals[GLOBAL_DISPATCHER] = below
  }
}

/**
 * Whether the dispatcher is undici's own Agent. The npm `undici` package (7.x and later, loaded
 * by anything in the process) puts its global dispatcher in a slot of its own and, for Node's
 * fetch, a wrapper of it in this one: then the wrapped one (its slot) is what counts.
 */
function isUndiciAgent(dispatcher: Dispatcher): boolean {
  const name = dispatcher.constructor?.name
  if (name === 'Agent') return true
  if (name !== 'Dispatcher1Wrapper') return false
  const wrapped = (globalThis as Record<symbol, unknown>)[NPM_GLOBAL_DISPATCHER] as Dispatcher | undefined
  return wrapped?.constructor?.name === 'Agent'
}

/** The installed interception's controls: one object for the process (runtime.ts), looked up once. */
let controls: InterceptionControls = {}

/** The capture whose request this is, when it is one this transport answers; else undefined (goes below). */
function takenHere(below: Dispatcher, options: DispatchOptions, handler: FetchHandler) {
  if (options.upgrade || typeof handler.onHeaders !== 'function' || typeof handler.onData !== 'function') return
  return strictContext(below)
}

/** The running strict capture whose requests this transport answers, if any: takenHere's checks but the request's own. */
function strictContext(below: Dispatcher) {
  if (below.isMockActive) return
  const context = currentContext()
  // A request the code did not wait for (started as `fn` returned) stays a late request, as through MSW.
  if (!context || context.returned || context.closed || strategyOf(context.mode).onMiss !== 'refuse') return
  if (controls.othersListening?.()) return
  return context
}

/** Build the frame of one request, hand it to the engine, and carry out its answer into fetch's handler. */
async function answer(
  parts: RequestParts,
  handler: FetchHandler,
  handle: (frame: RequestFrame) => Promise<void> | void,
): Promise<void> {
  let aborted = false
  let cancel: ((reason?: unknown) => void) | undefined
  let settled = false
  const fail = (error: unknown): void => {
    if (aborted || settled) return
    settled = true
    handler.onError?.(error instanceof Error ? error : new Error(String(error)))
  }
  try {
    handler.onConnect?.((reason) => {
      aborted = true
      cancel?.(reason)
    })
    if (aborted) return
    let response: Response | undefined
    let recorded: ReplayParts | undefined
    let delivered: (() => void) | undefined
    let failure: unknown
    let answered = false
    const once = (act: () => void): void => {
      if (answered) return
      answered = true
      act()
    }
    let request: Request | undefined
    await handle({
      // Built only if something asks for it: the engine reads `data`.
      get request() {
        request ??= new Request(parts.url, parts.init)
        return request
      },
      data: parts.data,
      id: `fetch-dispatcher-${++frames}`,
      respondWith: (value, ended) =>
        once(() => {
          response = value
          delivered = ended
        }),
      respondWithParts: (value, ended) =>
        once(() => {
          recorded = value
          delivered = ended
        }),
      reportsDelivery: true,
      // Strict mode never lets a request through (recorder.ts): reaching here is a bug, and must not go live.
      passthrough: () =>
        once(() => (failure = new Error('ReplayKit: a strict replay tried to let a request through to the network'))),
      errorWith: (reason) =>
        once(() => (failure = reason instanceof Error ? reason : new TypeError('Network error', { cause: reason }))),
    })
    if (aborted) return
    const delivery: Delivery = {
      delivered,
      isAborted: () => aborted,
      onCancel: (fn) => {
        cancel = fn
      },
    }
    if (recorded) await deliverParts(recorded, handler, delivery)
    else if (!response || response.type === 'error') return fail(failure ?? new TypeError('Network error'))
    else await deliver(response, handler, delivery)
    settled = true
  } catch (error) {
    fail(error)
  }
}

interface RequestParts {
  url: string
  init: RequestInit
  data: HttpRequestData
}

/** The request's parts: what a `Request` would be built from, and its stored form, read from them directly. */
function partsOf(options: DispatchOptions, body: Uint8Array | string | undefined): RequestParts {
  const url = new URL(options.path, options.origin).href
  const headers = headerRecord(options.headers)
  const method = options.method
  const init: RequestInit = { method, headers }
  const data: HttpRequestData = {
    method: method.toUpperCase(),
    url: normalizeUrl(url),
    headers: storedHeaderRecord(headers),
  }
  if (body !== undefined && method !== 'GET' && method !== 'HEAD') {
    init.body = body as BodyInit
    const bytes = typeof body === 'string' ? Buffer.from(body) : body
    // As readRequest (read-request.ts) reads a Request's body: an empty one is no body.
    const decoded = bytes.byteLength > 0 ? decodeBody(bytes, headers['content-type'], true) : undefined
    if (decoded) data.body = decoded
  }
  return { url, init, data }
}

/**
 * The request's headers, one lower-cased name each. fetch gives an object like that (its header
 * list's entries); other callers of a dispatcher may give a flat array of names and values.
 */
function headerRecord(given: DispatchOptions['headers']): Record<string, string> {
  const out: Record<string, string> = {}
  const add = (name: string, value: string): void => {
    const lower = name.toLowerCase()
    const before = out[lower]
    out[lower] = before === undefined ? value : `${before}, ${value}`
  }
  if (Array.isArray(given)) for (let i = 0; i + 1 < given.length; i += 2) add(String(given[i]), String(given[i + 1]))
  else if (given) for (const name in given) add(name, String(given[name]))
  return out
}
