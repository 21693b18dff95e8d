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

  /** Feed decoded text; returns the events completed by it. */
  push(text: string, atMs?: number): StreamEvent[] {
    this.buffer += text
    const events: StreamEvent[] = []
    let newline = this.buffer.indexOf('\n')
    while (newline !== -1) {
      let line = this.buffer.slice(0, newline)
      if (line.endsWith('\r')) {
        line = line.slice(0, -1)
        this.lineEnding ??= '\r\n'
      } else {
        this.lineEnding ??= '\n'
      }
      this.buffer = this.buffer.slice(newline + 1)
      const event = this.line(line, atMs)
      if (event) events.push(event)
      newline = this.buffer.indexOf('\n')
    }
    return events
  }

  /** End of input: a final event without its blank line still counts; returns it and any partial text. */
  end(atMs?: number): { events: StreamEvent[]; rest: string } {
    const rest = this.buffer
    this.buffer = ''
    const events: StreamEvent[] = []
    if (rest.length > 0) {
      const event = this.line(rest, atMs)
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
