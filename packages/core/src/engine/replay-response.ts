/**
 * Answering a request from a recording: the stored status, headers and body,
 * or the stream event by event (all at once by default, or with the recorded
 * gaps), ending the way the recorded stream ended: cleanly, or cut off.
 */
import type { Body, HttpResponseData, StreamDetail } from '../artifact/types.js'
import { serializeSseEvent } from '../stream/sse.js'
import { encodeBody } from './body.js'
import { chunked, replayHeaders, TRANSPORT_HEADERS } from './headers.js'
import type { Pacing } from './types.js'

/** How long a replayed cut-off stream stays open after its last event. */
const CUT_DELAY_MS = 10

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304])

/**
 * A recorded answer as parts a transport hands to its client directly (transport/fetch-delivery.ts),
 * with no `Response`, `Headers` or body stream built for it: status, headers and the whole body.
 */
export interface ReplayParts {
  status: number
  statusText: string
  /** Lower-cased names and values, sorted by name as `Headers` iterates them. */
  headers: [string, string][]
  /** The body's bytes (a copy: the client may transfer or detach them), or undefined for no body. */
  body?: Uint8Array
}

/**
 * The parts `replayResponse` would build its `Response` from, for the answers that are all there
 * at once: a buffered body, or a complete stream replayed instantly (its events joined). Undefined
 * for the rest (recorded pacing, a cut-off stream, a stored status, status text or header that
 * `Response` would refuse): those go through `replayResponse`, as before.
 *
 * @note Building the `Response`, its `Headers` (which MSW's global proxy wraps) and a body stream,
 * then reading them back apart in the transport, was about a tenth of a replayed request (profiled,
 * docs/performance.md).
 */
export function replayParts(data: HttpResponseData, options: { pacing: Pacing }): ReplayParts | undefined {
  if (data.status < 200 || data.status > 599) return undefined
  const statusText = data.statusText ?? ''
  if (!STATUS_TEXT.test(statusText)) return undefined
  const headers = partHeaders(data.headers)
  if (!headers) return undefined
  const parts: ReplayParts = { status: data.status, statusText, headers }
  if (NULL_BODY_STATUS.has(data.status)) return parts
  if (data.stream) {
    if (options.pacing !== 'instant' || data.stream.completion === 'interrupted') return undefined
    addHeader(headers, 'transfer-encoding', 'chunked')
    // An empty stream still ends: the client reads no bytes, as from an empty ReadableStream.
    parts.body = new Uint8Array(joinedBytes(data.stream))
    return parts
  }
  // A blob reference is resolved by `replayResponse`'s caller, if at all: left to that path.
  if (data.body && 'blob' in data.body) return undefined
  const body = bodyBytes(data.body)
  addHeader(headers, 'content-length', String(body === undefined ? 0 : body.byteLength))
  if (body !== undefined) parts.body = new Uint8Array(body)
  return parts
}

/** What `Response` accepts as a status text (the fetch standard's reason-phrase). */
const STATUS_TEXT = /^[\t\x20-\x7e\x80-\xff]*$/
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const BAD_VALUE = /[\0\r\n]/
const EDGE_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g

/** `replayHeaders` as sorted pairs; undefined when `Headers` would throw on one of them. */
function partHeaders(stored: Record<string, string>): [string, string][] | undefined {
  // As `Headers.set` one after another: a name given twice (in two cases) keeps the last value.
  const values = new Map<string, string>()
  for (const name in stored) {
    const lower = name.toLowerCase()
    if (TRANSPORT_HEADERS.has(lower)) continue
    const value = String(stored[name]).replace(EDGE_WHITESPACE, '')
    if (!HEADER_NAME.test(name) || BAD_VALUE.test(value)) return undefined
    values.set(lower, value)
  }
  return [...values].sort(byName)
}

/** Add a transport header (the stored ones never hold one), keeping the pairs sorted. */
function addHeader(pairs: [string, string][], name: string, value: string): void {
  pairs.push([name, value])
  pairs.sort(byName)
}

function byName(a: [string, string], b: [string, string]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0
}

/**
 * The bytes of a buffered recorded body, made once per recorded body: a test file's recording is
 * loaded once and each answer replayed by every run of it (callers copy them for the client).
 * Recordings are not mutated after loading (a plugin's `beforeReplay` returns a new response), so
 * the cache cannot go stale, as with the stream caches below.
 */
const encodedBodies = new WeakMap<Body, Uint8Array>()

function bodyBytes(body: Body | undefined): Uint8Array | undefined {
  if (!body) return undefined
  let bytes = encodedBodies.get(body)
  if (!bytes) {
    const encoded = encodeBody(body)
    bytes = typeof encoded === 'string' ? Buffer.from(encoded) : (encoded as Uint8Array)
    encodedBodies.set(body, bytes)
  }
  return bytes
}

export function replayResponse(
  data: HttpResponseData,
  options: { pacing: Pacing; blobs?: Record<string, Body> },
): Response {
  const headers = replayHeaders(data.headers)
  const init: ResponseInit = { status: data.status, headers }
  if (data.statusText !== undefined) init.statusText = data.statusText
  if (NULL_BODY_STATUS.has(data.status)) return new Response(null, init)
  if (data.stream) {
    chunked(headers)
    return new Response(streamBody(data.stream, options.pacing), init)
  }
  const body = encodeBody(data.body, options.blobs)
  // @note Framed by its length, as servers frame a whole body: without it the interceptor wrote a
  // close-delimited response, the client could not reuse the connection, and every replayed request
  // paid for a new one (own time the recording never had: the slowdown gate failed unchanged code).
  headers.set('content-length', String(body === undefined ? 0 : Buffer.byteLength(body)))
  return new Response(body === undefined ? null : (body as BodyInit), init)
}

/**
 * The bytes of each recorded event, made once per recording: a test file's
 * recording is loaded once and its streams replayed by every run of it.
 * Recordings are not mutated after loading, so the cache cannot go stale.
 */
const encodedEvents = new WeakMap<StreamDetail, Uint8Array[]>()

function eventBytes(stream: StreamDetail): Uint8Array[] {
  let bytes = encodedEvents.get(stream)
  if (!bytes) {
    const encoder = new TextEncoder()
    bytes = stream.events.map((event) =>
      encoder.encode(stream.format === 'sse' ? serializeSseEvent(event, stream.lineEnding) : (event.data ?? '')),
    )
    encodedEvents.set(stream, bytes)
  }
  return bytes
}

/**
 * Every event's bytes in one buffer, made once per recording: what an instant replay sends.
 *
 * @note One chunk, not one per event: a server's events written at once reach the client in one
 * or a few socket reads, and each chunk costs the client's stream and the SDK's SSE parser a
 * round (a replayed stream of 5,000 events was read per event before).
 */
const joinedEvents = new WeakMap<StreamDetail, Uint8Array>()

function joinedBytes(stream: StreamDetail): Uint8Array {
  let joined = joinedEvents.get(stream)
  if (!joined) {
    joined = Buffer.concat(eventBytes(stream))
    joinedEvents.set(stream, joined)
  }
  return joined
}

function streamBody(stream: StreamDetail, pacing: Pacing): ReadableStream<Uint8Array> {
  const finish = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    if (stream.completion === 'interrupted') {
      controller.error(
        new TypeError(`terminated: replayed stream was cut off when recorded (${stream.error ?? 'interrupted'})`),
      )
    } else controller.close()
  }
  if (pacing === 'instant') {
    return new ReadableStream({
      start(controller) {
        // A copy: a client may transfer or detach the chunks it reads.
        const all = new Uint8Array(joinedBytes(stream))
        if (all.byteLength > 0) controller.enqueue(all)
        if (stream.completion !== 'interrupted') controller.close()
      },
      // Called once the client has read every queued event: only then cut the stream
      // (erroring a stream earlier would drop the events still queued).
      async pull(controller) {
        // Let the client take in what was sent before the connection drops, as it did when recorded.
        await new Promise((resolve) => setTimeout(resolve, CUT_DELAY_MS))
        finish(controller)
      },
    })
  }
  // Copies: a client may transfer or detach the chunks it reads.
  const chunks = eventBytes(stream).map((bytes) => bytes.slice())
  let i = 0
  let last = 0
  return new ReadableStream({
    async pull(controller) {
      if (i >= chunks.length) {
        finish(controller)
        return
      }
      const at = stream.events[i]?.atMs ?? last
      if (at > last) await new Promise((resolve) => setTimeout(resolve, at - last))
      last = Math.max(last, at)
      controller.enqueue(chunks[i] ?? new Uint8Array())
      i++
    },
  })
}
