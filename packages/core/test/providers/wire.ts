/**
 * Real wire traffic for the adapter tests: one exchange with the fake provider over loopback,
 * turned into the `HttpRequestData` / `HttpResponseData` the engine would record. The SSE
 * parser here is deliberately tiny and local, so the adapters are checked against bytes that
 * did not go through ReplayKit's own parser.
 */
import type { HttpRequestData, HttpResponseData, JsonValue, StreamEvent } from '../../src/index.js'

export interface WireExchange {
  request: HttpRequestData
  response: HttpResponseData
}

/** POST (or GET without body) `path` on `origin` and record the exchange. */
export async function exchange(origin: string, path: string, body?: JsonValue): Promise<WireExchange> {
  const method = body === undefined ? 'GET' : 'POST'
  const headers = { 'content-type': 'application/json' }
  const request: HttpRequestData = {
    method,
    url: origin + path,
    headers,
    ...(body === undefined ? {} : { body: { json: body } }),
  }
  const res = await fetch(request.url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const responseHeaders = Object.fromEntries(res.headers)
  const { text, cut } = await readAll(res)
  if (responseHeaders['content-type']?.startsWith('text/event-stream')) {
    const crlf = text.includes('\r\n')
    const events = parseSse(text)
    return {
      request,
      response: {
        status: res.status,
        headers: responseHeaders,
        stream: { format: 'sse', lineEnding: crlf ? '\r\n' : '\n', events, completion: cut ? 'interrupted' : 'clean' },
      },
    }
  }
  let parsed: JsonValue | undefined
  try {
    parsed = JSON.parse(text) as JsonValue
  } catch {
    parsed = undefined
  }
  return {
    request,
    response: {
      status: res.status,
      headers: responseHeaders,
      body: parsed === undefined ? { text } : { json: parsed },
    },
  }
}

/** Read a body to its end, or to where the connection was cut. */
async function readAll(res: Response): Promise<{ text: string; cut: boolean }> {
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  let text = ''
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return { text: text + decoder.decode(), cut: false }
      text += decoder.decode(value, { stream: true })
    }
  } catch {
    return { text, cut: true }
  }
}

/** Frames split on blank lines (LF or CRLF); `event:` and `data:` fields only. */
function parseSse(text: string): StreamEvent[] {
  const events: StreamEvent[] = []
  for (const frame of text.split(/\r?\n\r?\n/)) {
    if (frame.trim() === '') continue
    const event: StreamEvent = {}
    const data: string[] = []
    for (const line of frame.split(/\r?\n/)) {
      if (line.startsWith('event:')) event.event = line.slice(6).trim()
      if (line.startsWith('data:')) data.push(line.slice(5).trimStart())
    }
    try {
      event.json = JSON.parse(data.join('\n')) as JsonValue
    } catch {
      event.data = data.join('\n')
    }
    events.push(event)
  }
  return events
}
