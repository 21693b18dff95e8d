/**
 * Server-sent events, parsed incrementally as bytes arrive and serialised back
 * for replay. Follows the WHATWG event-stream rules closely enough for every
 * provider: `event:`, `data:` (multi-line joined with `\n`), `id:`, comments
 * ignored, events ended by a blank line, LF or CRLF line ends.
 */
import { isFaithfulJson } from '../artifact/json-structure.js'
import type { JsonValue, StreamEvent } from '../artifact/types.js'

export class SseParser {
  private buffer = ''
  private fields: { event?: string; id?: string; data: string[] } = { data: [] }
  /** Line ending seen first: replay writes the same (Gemini uses CRLF). */
  lineEnding: '\n' | '\r\n' | undefined

  /**
   * Feed decoded text; returns the events completed by it. Lines end with LF,
   * CRLF or a lone CR, as the event-stream format says (a CR at the end of the
   * text waits for the next chunk: it may be the first half of a CRLF).
   */
  push(text: string, atMs?: number): StreamEvent[] {
    const buffer = this.buffer + text
    const events: StreamEvent[] = []
    let start = 0
    // The next CR and LF, each searched for again only once passed: one pass over the text.
    let cr = buffer.indexOf('\r')
    let lf = buffer.indexOf('\n')
    for (;;) {
      if (cr !== -1 && cr < start) cr = buffer.indexOf('\r', start)
      if (lf !== -1 && lf < start) lf = buffer.indexOf('\n', start)
      let end: number
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        if (cr === buffer.length - 1) break
        end = cr
        const crlf = lf === cr + 1
        this.lineEnding ??= crlf ? '\r\n' : '\n'
        const line = buffer.slice(start, end)
        start = crlf ? cr + 2 : cr + 1
        const event = this.line(line, atMs)
        if (event) events.push(event)
        continue
      }
      if (lf === -1) break
      end = lf
      this.lineEnding ??= '\n'
      const line = buffer.slice(start, end)
      start = lf + 1
      const event = this.line(line, atMs)
      if (event) events.push(event)
    }
    this.buffer = buffer.slice(start)
    return events
  }

  /** End of input: a final event without its blank line still counts; returns it and any partial text. */
  end(atMs?: number): { events: StreamEvent[]; rest: string } {
    const rest = this.buffer
    this.buffer = ''
    const events: StreamEvent[] = []
    if (rest.length > 0) {
      // A CR held back in case an LF followed ends the line.
      const event = this.line(rest.endsWith('\r') ? rest.slice(0, -1) : rest, atMs)
      if (event) events.push(event)
    }
    const last = this.dispatch(atMs)
    if (last) events.push(last)
    return { events, rest }
  }

  private line(line: string, atMs: number | undefined): StreamEvent | undefined {
    if (line === '') return this.dispatch(atMs)
    if (line.startsWith(':')) return undefined
    const colon = line.indexOf(':')
    const name = colon === -1 ? line : line.slice(0, colon)
    let value = colon === -1 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (name === 'data') this.fields.data.push(value)
    else if (name === 'event') this.fields.event = value
    else if (name === 'id') this.fields.id = value
    return undefined
  }

  private dispatch(atMs: number | undefined): StreamEvent | undefined {
    const { event, id, data } = this.fields
    this.fields = { data: [] }
    if (data.length === 0 && event === undefined && id === undefined) return undefined
    const out: StreamEvent = {}
    if (event !== undefined) out.event = event
    if (id !== undefined) out.id = id
    const payload = data.join('\n')
    const json = parseJson(payload)
    if (json !== undefined) out.json = json
    else out.data = payload
    if (atMs !== undefined) out.atMs = Math.round(atMs * 1000) / 1000
    return out
  }
}

/** Serialise one event back to wire text, with its terminating blank line. */
export function serializeSseEvent(event: StreamEvent, lineEnding: '\n' | '\r\n' = '\n'): string {
  let out = ''
  if (event.event !== undefined) out += `event: ${event.event}${lineEnding}`
  if (event.id !== undefined) out += `id: ${event.id}${lineEnding}`
  const payload = event.json !== undefined ? JSON.stringify(event.json) : (event.data ?? '')
  for (const line of payload.split('\n')) out += `data: ${line}${lineEnding}`
  return out + lineEnding
}

function parseJson(text: string): JsonValue | undefined {
  const first = text.trimStart()[0]
  // Only objects and arrays: `[DONE]` is not JSON, and a bare number or word should stay text.
  if (first !== '{' && first !== '[') return undefined
  try {
    const json = JSON.parse(text) as JsonValue
    // A number JSON cannot hold exactly (or nesting too deep) stays text: replay gives the server's bytes.
    return isFaithfulJson(Buffer.from(text)) ? json : undefined
  } catch {
    return undefined
  }
}
