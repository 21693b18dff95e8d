/**
 * Recording a live response: read our copy of the body chunk by chunk as it
 * arrives (never holding up the client's copy), timestamp each chunk, and keep
 * streams event by event with how they ended.
 */
import type { HttpResponseData, StreamCompletion, StreamDetail, StreamEvent } from '../artifact/types.js'
import { SseParser } from '../stream/sse.js'
import { decodeBody } from './body.js'
import { storedHeaders } from './headers.js'

const SSE = /^text\/event-stream\b/i
const CHUNKED_TEXT = /^application\/(x-ndjson|jsonl|x-jsonlines)\b/i

export interface ReadResponseResult {
  response: HttpResponseData
  /** performance.now() when the body ended. */
  endedAt: number
}

export async function readResponse(response: Response): Promise<ReadResponseResult> {
  const contentType = response.headers.get('content-type') ?? ''
  const data: HttpResponseData = { status: response.status, headers: storedHeaders(response.headers) }
  if (response.statusText) data.statusText = response.statusText
  const streamed = SSE.test(contentType) ? 'sse' : CHUNKED_TEXT.test(contentType) ? 'chunks' : undefined
  const started = performance.now()
  const chunks: { bytes: Uint8Array; atMs: number }[] = []
  let failure: string | undefined
  if (response.body) {
    const reader = response.body.getReader()
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        chunks.push({ bytes: value, atMs: performance.now() - started })
      }
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error)
    }
  }
  const endedAt = performance.now()
  if (streamed === 'sse') data.stream = sseDetail(chunks, failure)
  else if (streamed === 'chunks' || failure !== undefined) data.stream = chunkDetail(chunks, failure)
  else {
    const body = decodeBody(concat(chunks), contentType || undefined)
    if (body) data.body = body
  }
  return { response: data, endedAt }
}

function sseDetail(chunks: { bytes: Uint8Array; atMs: number }[], failure: string | undefined): StreamDetail {
  const parser = new SseParser()
  const decoder = new TextDecoder()
  const events: StreamEvent[] = []
  for (const chunk of chunks) events.push(...parser.push(decoder.decode(chunk.bytes, { stream: true }), chunk.atMs))
  const lastAt = chunks.at(-1)?.atMs
  const tail = parser.end(lastAt)
  const rest = decoder.decode() + tail.rest
  events.push(...tail.events)
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

function chunkDetail(chunks: { bytes: Uint8Array; atMs: number }[], failure: string | undefined): StreamDetail {
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

function concat(chunks: { bytes: Uint8Array }[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!.bytes
  const total = chunks.reduce((sum, chunk) => sum + chunk.bytes.byteLength, 0)
  const out = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk.bytes, offset)
    offset += chunk.bytes.byteLength
  }
  return out
}
