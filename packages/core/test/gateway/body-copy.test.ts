/**
 * The recording's copy of a live answer (gateway/body-copy.ts), read by the
 * engine's response reader as the relay hands it chunks: the same recorded
 * answer as a web Response of the same chunks gives, whichever comes first,
 * the chunks or the reads.
 */
import { describe, expect, test } from 'vitest'
import { readResponse, readResponseBody } from '../../src/engine/read-response.js'
import { BodyCopy } from '../../src/gateway/body-copy.js'

const bytes = (text: string) => new TextEncoder().encode(text)

function webResponse(chunks: string[], headers: Record<string, string>, fail?: Error): Response {
  let i = 0
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[i++]
      if (chunk !== undefined) controller.enqueue(bytes(chunk))
      else if (fail) controller.error(fail)
      else controller.close()
    },
  })
  return new Response(body, { status: 200, statusText: 'OK', headers })
}

/** Strip the chunk times: they differ between any two reads. */
function timeless(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v) => (key === 'atMs' ? undefined : v)))
}

const cases: [string, string[], Record<string, string>][] = [
  ['a JSON answer of known length', ['{"a":', '1}'], { 'content-type': 'application/json', 'content-length': '7' }],
  ['an SSE stream', ['data: {"n":1}\n\n', 'data: [DONE]\n\n'], { 'content-type': 'text/event-stream' }],
  ['a text answer', ['plain ', 'words'], { 'content-type': 'text/plain' }],
]

describe("the gateway's copy of a live answer", () => {
  test.each(cases)('%s, chunks before the reads: as a web Response', async (_name, chunks, headers) => {
    const copy = new BodyCopy()
    for (const chunk of chunks) copy.push(bytes(chunk))
    copy.close()
    const ours = await readResponseBody({ status: 200, statusText: 'OK', headers: new Headers(headers) }, copy)
    const web = await readResponse(webResponse(chunks, headers))
    expect(timeless(ours.response)).toEqual(timeless(web.response))
  })

  test.each(cases)('%s, reads waiting for the chunks: as a web Response', async (_name, chunks, headers) => {
    const copy = new BodyCopy()
    const reading = readResponseBody({ status: 200, statusText: 'OK', headers: new Headers(headers) }, copy)
    for (const chunk of chunks) {
      await new Promise((resolve) => setImmediate(resolve))
      copy.push(bytes(chunk))
    }
    copy.close()
    expect(timeless((await reading).response)).toEqual(
      timeless((await readResponse(webResponse(chunks, headers))).response),
    )
  })

  test('a cut answer keeps the chunks the client got and says how it was cut', async () => {
    const copy = new BodyCopy()
    const headers = new Headers({ 'content-type': 'text/event-stream' })
    const reading = readResponseBody({ status: 200, statusText: 'OK', headers }, copy)
    copy.push(bytes('data: {"n":1}\n\n'))
    copy.push(bytes('data: {"n":2}\n\n'))
    copy.error(new Error('the upstream closed the connection mid-answer'))
    copy.push(bytes('data: {"n":3}\n\n'))
    const { response } = await reading
    expect(response.stream?.events.map((event) => event.json)).toEqual([{ n: 1 }, { n: 2 }])
    expect(response.stream?.completion).toBe('interrupted')
    expect(response.stream?.error).toBe('the upstream closed the connection mid-answer')
  })

  test('nothing after the end is read', async () => {
    const copy = new BodyCopy()
    copy.push(bytes('{"a":1}'))
    copy.close()
    copy.push(bytes('more'))
    copy.error(new Error('late'))
    const { response } = await readResponseBody(
      { status: 201, statusText: '', headers: new Headers({ 'content-type': 'application/json' }) },
      copy,
    )
    expect(response).toMatchObject({ status: 201, body: { json: { a: 1 } } })
    expect(response.statusText).toBeUndefined()
  })
})
