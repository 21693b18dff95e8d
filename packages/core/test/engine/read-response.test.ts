import { describe, expect, test, vi } from 'vitest'
import type { HttpResponseData } from '../../src/artifact/types.js'
import { encodeBody, LARGE_JSON_BYTES } from '../../src/engine/body.js'
import { readResponse } from '../../src/engine/read-response.js'
import { createRedactor, findSecret } from '../../src/redact/index.js'
import { SseParser } from '../../src/stream/sse.js'

// Built by concatenation so that this file itself holds no literal that scanners flag.
const OPENAI_KEY = `sk-proj-${'A1b2C3d4E5'.repeat(3)}`

/** A response whose body arrives in the given chunks, then ends (or fails). */
function response(chunks: (string | Uint8Array)[], headers: Record<string, string>, failAfter = false): Response {
  const encoder = new TextEncoder()
  let i = 0
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[i++]
      if (chunk !== undefined) controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk)
      else if (failAfter) controller.error(new Error('connection reset'))
      else controller.close()
    },
  })
  return new Response(body, { status: 200, headers })
}

const bytesOf = (text: string) => new TextEncoder().encode(text).byteLength

describe('readResponse', () => {
  const chunks = ['{"a": [1, 2', ', 3], "b": "€', 'uro"}']
  const whole = chunks.join('')

  test.each([
    ['the declared length', { 'content-length': String(bytesOf(whole)) }],
    ['no length', {}],
    ['a declared length that is too short', { 'content-length': '4' }],
    ['a declared length that is too long', { 'content-length': '4096' }],
    ['an encoding (the length is of other bytes)', { 'content-length': '4', 'content-encoding': 'gzip' }],
  ])('reads a body arriving in chunks with %s', async (_, headers) => {
    const { response: data } = await readResponse(response(chunks, { 'content-type': 'application/json', ...headers }))
    expect(data.body).toEqual({ json: { a: [1, 2, 3], b: '€uro' } })
    expect(data.stream).toBeUndefined()
  })

  test('leaves the chunks of the stream alone (a tee may share them with the client)', async () => {
    const only = new TextEncoder().encode('{"a":1}')
    const other = [new TextEncoder().encode('{"b":'), new TextEncoder().encode('2}')]
    expect((await readResponse(response([only], { 'content-type': 'application/json' }))).response.body).toEqual({
      json: { a: 1 },
    })
    const cut = await readResponse(response(other, { 'content-type': 'application/json', 'content-length': '9' }, true))
    expect(cut.response.stream?.events.map((event) => event.data)).toEqual(['{"b":', '2}'])
    expect([only.byteLength, ...other.map((chunk) => chunk.byteLength)]).toEqual([7, 5, 2])
  })

  test('keeps binary bodies byte for byte', async () => {
    const parts = [new Uint8Array([0, 255, 128]), new Uint8Array([7]), new Uint8Array([0xfe, 0xff])]
    const { response: data } = await readResponse(
      response(parts, { 'content-type': 'application/octet-stream', 'content-length': '6' }),
    )
    expect(encodeBody(data.body)).toEqual(Buffer.from([0, 255, 128, 7, 0xfe, 0xff]))
  })

  test('stores a body cut off midway chunk by chunk, as it came', async () => {
    const { response: data } = await readResponse(
      response(['{"a": ', '[1, 2'], { 'content-type': 'application/json', 'content-length': '100' }, true),
    )
    expect(data.body).toBeUndefined()
    expect(data.stream?.format).toBe('chunks')
    expect(data.stream?.completion).toBe('interrupted')
    expect(data.stream?.error).toBe('connection reset')
    expect(data.stream?.events.map((event) => event.data)).toEqual(['{"a": ', '[1, 2'])
  })

  test('still reads event streams event by event', async () => {
    const { response: data } = await readResponse(
      response(['data: {"n":1}\n\n', 'data: [DONE]\n\n'], { 'content-type': 'text/event-stream' }),
    )
    expect(data.stream?.events.map((event) => event.json ?? event.data)).toEqual([{ n: 1 }, '[DONE]'])
  })

  test('parses an event stream as it arrives, not all at its end (the gateway ends a response once it is recorded)', async () => {
    const parsed = vi.spyOn(SseParser.prototype, 'push')
    try {
      let feed: ReadableStreamDefaultController<Uint8Array> | undefined
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          feed = controller
        },
      })
      const reading = readResponse(new Response(body, { headers: { 'content-type': 'text/event-stream' } }))
      feed?.enqueue(new TextEncoder().encode('data: {"n":1}\n\ndata: {"n"'))
      await new Promise((resolve) => setImmediate(resolve))
      // The first chunk is parsed while the stream is still open.
      expect(parsed).toHaveBeenCalledTimes(1)
      feed?.enqueue(new TextEncoder().encode(':2}\r\n\r\n'))
      feed?.close()
      const { response: data } = await reading
      expect(data.stream?.events.map((event) => event.json)).toEqual([{ n: 1 }, { n: 2 }])
      expect(data.stream?.completion).toBe('clean')
    } finally {
      parsed.mockRestore()
    }
  })

  test('an event stream cut inside an event is interrupted, with what came of it', async () => {
    const { response: data } = await readResponse(
      response(['data: {"n":1}\n\n', 'data: {"n":'], { 'content-type': 'text/event-stream' }),
    )
    expect(data.stream?.events.map((event) => event.json ?? event.data)).toEqual([{ n: 1 }, '{"n":'])
    expect(data.stream?.completion).toBe('interrupted')
    expect(data.stream?.error).toBe('the stream ended in the middle of an event')
  })
})

describe('a large JSON response', () => {
  /** A JSON listing just over the limit, in 64 KiB chunks, with a secret in the middle. */
  function largeListing(secret: string): { chunks: Uint8Array[]; text: string } {
    const records: string[] = []
    let size = 2
    for (let i = 0; size <= LARGE_JSON_BYTES; i++) {
      const record = `{"id":${i},"name":"item-${i}","score":${(i % 97) / 7}}`
      records.push(record)
      size += record.length + 1
    }
    records.splice(records.length >> 1, 0, `{"id":-1,"note":"key ${secret} here","${secret}":true}`)
    const text = `[${records.join(',')}]`
    const bytes = new TextEncoder().encode(text)
    const chunks: Uint8Array[] = []
    for (let at = 0; at < bytes.byteLength; at += 65536) chunks.push(bytes.subarray(at, at + 65536))
    return { chunks, text }
  }

  async function record(secret: string, redact = createRedactor()): Promise<{ data: HttpResponseData; text: string }> {
    const { chunks, text } = largeListing(secret)
    const { response: read } = await readResponse(
      response(chunks, { 'content-type': 'application/json', 'content-length': String(bytesOf(text)) }),
    )
    return { data: redact.response(read, 'https://api.test/list'), text }
  }

  test('is stored as its text, replays byte for byte, and has its secrets redacted', async () => {
    const { data, text } = await record(OPENAI_KEY)
    expect(Object.keys(data.body ?? {})).toEqual(['text'])
    const stored = (data.body as { text: string }).text
    expect(findSecret(stored)).toBeUndefined()
    expect(findSecret(JSON.stringify(data))).toBeUndefined()
    // Only the secrets changed: the rest replays as it came.
    expect(stored).toBe(text.replaceAll(OPENAI_KEY, '[REDACTED:openai-key]'))
    expect(encodeBody(data.body)).toBe(stored)
    expect((JSON.parse(stored) as unknown[]).length).toBe((JSON.parse(text) as unknown[]).length)
  })

  test('has a secret redacted even when the server escaped its characters', async () => {
    // `\u0073k-proj-…` is the same string as `sk-proj-…` once parsed.
    const { data } = await record(`\\u0073${OPENAI_KEY.slice(1)}`)
    const stored = (data.body as { text: string }).text
    expect(findSecret(stored)).toBeUndefined()
    expect(findSecret(JSON.stringify(JSON.parse(stored)))).toBeUndefined()
    expect(stored).toContain('"key [REDACTED:openai-key] here","[REDACTED:openai-key]":true')
  })

  test('is parsed for JSON paths and the policy, which are defined on the parsed value', async () => {
    const redactor = createRedactor({ paths: ['$[*].name'] })
    const { data } = await record(OPENAI_KEY, redactor)
    const json = (data.body as { json: { name?: string; note?: string }[] }).json
    expect(json[0]?.name).toBe('[REDACTED:path]')
    expect(json.find((item) => item.note !== undefined)?.note).toBe('key [REDACTED:openai-key] here')
    expect(findSecret(JSON.stringify(json))).toBeUndefined()
  })
})
