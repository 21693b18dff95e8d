/**
 * Recording a live response: read our copy of the body chunk by chunk as it
 * arrives (never holding up the client's copy), timestamp each chunk, and keep
 * streams event by event with how they ended.
 *
 * Memory: a whole body is held once, in a buffer of our own that is freed as
 * soon as it is decoded (body.ts), and the response is handed over to the
 * redactor, which then redacts it in place rather than copying it. Recording
 * one large response costs about its stored form, not several copies of it.
 */
import type { HttpResponseData, StreamCompletion, StreamDetail, StreamEvent } from '../artifact/types.js'
import { handOver } from '../redact/hand-over.js'
import { SseParser } from '../stream/sse.js'
import { decodeTakenBody, LARGE_JSON_BYTES, releaseBytes, type TakenBytes } from './body.js'
import { storedHeaders } from './headers.js'

const SSE = /^text\/event-stream\b/i
const CHUNKED_TEXT = /^application\/(x-ndjson|jsonl|x-jsonlines)\b/i

export interface ReadResponseResult {
  response: HttpResponseData
  /** performance.now() when the body ended. */
  endedAt: number
}

/** What readResponseBody needs of a response besides its body. */
export interface ResponseHead {
  status: number
  statusText: string
  headers: Headers
}

/** Reads a body chunk by chunk: a ReadableStream's reader, or one of the gateway's own (gateway/body-copy.ts). */
export interface ChunkReader {
  read(): Promise<ReadableStreamReadResult<Uint8Array>>
  cancel?(reason?: unknown): Promise<void>
}

/**
 * Who follows a read as it goes: the live recording notes each chunk's arrival
 * (to tell a stalled body) and may stop the read. The gateway reads without one.
 */
export interface ReadWatcher {
  /** A chunk came, at this performance.now() time. */
  onChunk(at: number): void
  /** Called once the read starts, with the function that stops it: what came so far is kept, cut off with `reason`. */
  onStart(stop: (reason: string) => void): void
}

export function readResponse(response: Response, watcher?: ReadWatcher): Promise<ReadResponseResult> {
  const reader = response.body ? response.body.getReader() : undefined
  return readResponseBody(response, reader, watcher ? { watcher } : {})
}

/**
 * What is done to each SSE event as soon as it is parsed, given its place in the stream; what it
 * returns is kept instead. The gateway redacts there (redactor.streamEvent), so the recording's
 * job at the stream's end, which the client waits for, has no event left to redact.
 */
export type EventHook = (event: StreamEvent, index: number) => StreamEvent

/** `readResponse` of a response given as its head and a reader of its body (undefined: no body). */
export async function readResponseBody(
  response: ResponseHead,
  reader: ChunkReader | undefined,
  follow: { watcher?: ReadWatcher; onEvent?: EventHook } = {},
): Promise<ReadResponseResult> {
  const { watcher, onEvent } = follow
  const contentType = response.headers.get('content-type') ?? ''
  const data: HttpResponseData = { status: response.status, headers: storedHeaders(response.headers) }
  if (response.statusText) data.statusText = response.statusText
  const streamed = SSE.test(contentType) ? 'sse' : CHUNKED_TEXT.test(contentType) ? 'chunks' : undefined
  const started = performance.now()
  // A stream keeps its chunks (each is an event with its time); a whole body goes into one buffer as it arrives.
  const chunks: Chunk[] = []
  // SSE is parsed as it arrives: the recording's work at the stream's end is not held up by it (issue 13, part S).
  const sse = streamed === 'sse' ? new SseEvents(onEvent) : undefined
  const sink = streamed ? undefined : new ByteSink(declaredLength(response.headers))
  let failure: string | undefined
  if (reader) {
    // Stopping cancels our reader: a pending read() then ends as done, and the reason is the failure.
    let stopped: string | undefined
    watcher?.onStart((reason) => {
      stopped ??= reason
      reader.cancel?.(reason).catch(() => undefined)
    })
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        const now = performance.now()
        watcher?.onChunk(now)
        const atMs = now - started
        if (sink) sink.push(value, atMs)
        else if (sse) sse.push(value, atMs)
        else chunks.push({ bytes: value, atMs })
      }
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error)
    }
    if (stopped !== undefined) failure ??= stopped
  }
  const endedAt = performance.now()
  if (sse) data.stream = sse.end(failure)
  else if (streamed === 'chunks') data.stream = chunkDetail(chunks, failure)
  else if (sink && failure !== undefined) data.stream = sink.chunks((cut) => chunkDetail(cut, failure))
  else if (sink) {
    const body = decodeTakenBody(sink.take(), contentType || undefined, { jsonAsTextOver: LARGE_JSON_BYTES })
    if (body) data.body = body
  }
  // Nothing else has seen this response: the redactor may work on it in place instead of on a copy.
  return { response: handOver(data), endedAt }
}

interface Chunk {
  bytes: Uint8Array
  atMs: number
}

/** Bodies larger than this are not preallocated from their content-length (a lying header must not cost memory). */
const MAX_PREALLOCATED = 1024 * 1024 * 1024

/** The length of the body to come, when the headers say it (and no encoding makes it differ). */
function declaredLength(headers: Headers): number | undefined {
  const encoding = headers.get('content-encoding')
  if (encoding && encoding.trim().toLowerCase() !== 'identity') return undefined
  const value = headers.get('content-length')
  if (value === null || !/^\s*\d+\s*$/.test(value)) return undefined
  const length = Number(value)
  return length > 0 && length <= MAX_PREALLOCATED ? length : undefined
}

/**
 * A whole body, gathered into one buffer while it arrives: only the bytes and
 * each chunk's end offset and time are kept, never the chunks themselves, so
 * the body is held once (plus the chunk being read), not as chunks and then
 * again concatenated. The buffer is the sink's own: once the body is decoded
 * it is freed there and then (body.ts), not left for the garbage collector.
 *
 * @note With a declared length the buffer is allocated once at that size.
 * Without one, chunks are kept until the end and concatenated there: growing
 * a buffer by doubling would hold up to three times the body while copying.
 */
class ByteSink {
  private buffer: Uint8Array | undefined
  private pending: Uint8Array[] = []
  /** The preallocated buffer once the body outgrew it (its start is in `pending`). */
  private outgrown: Uint8Array | undefined
  private length = 0
  private readonly marks: { end: number; atMs: number }[] = []

  constructor(expected: number | undefined) {
    if (expected === undefined) return
    try {
      this.buffer = new Uint8Array(expected)
    } catch {
      // Not that much memory at once (a lying header): gather the chunks instead.
    }
  }

  push(bytes: Uint8Array, atMs: number): void {
    const end = this.length + bytes.byteLength
    if (this.buffer && end <= this.buffer.byteLength) this.buffer.set(bytes, this.length)
    else {
      // More than declared (or no declared length): keep the chunk and concatenate at the end.
      if (this.buffer) {
        this.pending.push(this.buffer.subarray(0, this.length))
        this.outgrown = this.buffer
        this.buffer = undefined
      }
      this.pending.push(bytes)
    }
    this.length = end
    this.marks.push({ end, atMs })
  }

  /**
   * The whole body; the sink lets go of it (and of every chunk) so only the caller holds it.
   * `owned` when the buffer is the sink's own, not a chunk of the stream (which a tee may share).
   */
  take(): TakenBytes {
    let taken: TakenBytes
    if (this.buffer) taken = { bytes: this.buffer.subarray(0, this.length), owned: true }
    else if (this.pending.length === 1) taken = { bytes: this.pending[0], owned: false }
    else {
      const out = new Uint8Array(this.length)
      let offset = 0
      for (let i = 0; i < this.pending.length; i++) {
        const chunk = this.pending[i] as Uint8Array
        out.set(chunk, offset)
        offset += chunk.byteLength
      }
      taken = { bytes: out, owned: true }
    }
    if (this.outgrown) releaseBytes(this.outgrown)
    this.buffer = undefined
    this.outgrown = undefined
    this.pending = []
    return taken
  }

  /** What `use` makes of the chunks as they came (a body cut off midway is stored chunk by chunk). */
  chunks<T>(use: (chunks: Chunk[]) => T): T {
    const taken = this.take()
    const body = taken.bytes ?? new Uint8Array(0)
    let start = 0
    const out = use(
      this.marks.map(({ end, atMs }) => {
        const bytes = body.subarray(start, end)
        start = end
        return { bytes, atMs }
      }),
    )
    if (taken.owned) releaseBytes(body)
    return out
  }
}

/**
 * An SSE body parsed chunk by chunk as it is read, each event timed by the chunk that completed it:
 * the same events, line ending and completion as parsing the chunks once the stream has ended.
 */
class SseEvents {
  private readonly parser = new SseParser()
  private readonly decoder = new TextDecoder()
  private readonly events: StreamEvent[] = []
  private lastAt: number | undefined

  constructor(private readonly onEvent?: EventHook) {}

  push(bytes: Uint8Array, atMs: number): void {
    this.lastAt = atMs
    // A loop, not push(...events): one chunk can hold more events than a call takes arguments.
    for (const event of this.parser.push(this.decoder.decode(bytes, { stream: true }), atMs)) this.add(event)
  }

  private add(event: StreamEvent): void {
    const { events, onEvent } = this
    events.push(onEvent ? onEvent(event, events.length) : event)
  }

  end(failure: string | undefined): StreamDetail {
    const { parser, events } = this
    const tail = parser.end(this.lastAt)
    const rest = this.decoder.decode() + tail.rest
    for (const event of tail.events) this.add(event)
    const detail: StreamDetail = { format: 'sse', events, completion: completionOf(events, failure) }
    if (parser.lineEnding === '\r\n') detail.lineEnding = '\r\n'
    if (failure !== undefined) detail.error = failure
    else if (rest.trim() !== '' && !rest.endsWith('\n')) {
      // The stream ended inside an event: cut off, even though the connection closed cleanly.
      detail.completion = 'interrupted'
      detail.error = 'the stream ended in the middle of an event'
    }
    return detail
  }
}

function chunkDetail(chunks: Chunk[], failure: string | undefined): StreamDetail {
  const decoder = new TextDecoder()
  const events: StreamEvent[] = chunks.map((chunk) => ({
    data: decoder.decode(chunk.bytes, { stream: true }),
    atMs: Math.round(chunk.atMs * 1000) / 1000,
  }))
  const detail: StreamDetail = { format: 'chunks', events, completion: failure === undefined ? 'clean' : 'interrupted' }
  if (failure !== undefined) detail.error = failure
  return detail
}

function completionOf(events: StreamEvent[], failure: string | undefined): StreamCompletion {
  if (failure !== undefined) return 'interrupted'
  const errored = events.some(
    (event) =>
      event.event === 'error' ||
      (typeof event.json === 'object' &&
        event.json !== null &&
        !Array.isArray(event.json) &&
        event.json.type === 'error'),
  )
  return errored ? 'error' : 'clean'
}
