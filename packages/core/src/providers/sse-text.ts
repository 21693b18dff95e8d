/**
 * Parse server-sent events from text, per the WHATWG rules that matter for provider streams:
 * `event:`/`data:`/`id:` fields, multi-line data joined with `\n`, comments (`:`) skipped, and
 * events ended by a blank line with LF, CRLF or CR line endings.
 */
import type { JsonValue, StreamEvent } from '../artifact/types.js'

/** Events of an SSE text; `data` that parses as JSON becomes `json`. A trailing unfinished event is kept. */
export function parseSseText(text: string): StreamEvent[] {
  const events: StreamEvent[] = []
  let current: { event?: string; id?: string; data: string[] } = { data: [] }
  const flush = (): void => {
    if (current.data.length > 0 || current.event !== undefined) events.push(toEvent(current))
    current = { data: [] }
  }
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === '') {
      flush()
      continue
    }
    if (line.startsWith(':')) continue
    const colon = line.indexOf(':')
    const field = colon === -1 ? line : line.slice(0, colon)
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '')
    if (field === 'data') current.data.push(value)
    else if (field === 'event') current.event = value
    else if (field === 'id') current.id = value
  }
  flush()
  return events
}

function toEvent(raw: { event?: string; id?: string; data: string[] }): StreamEvent {
  const event: StreamEvent = {}
  if (raw.event !== undefined) event.event = raw.event
  if (raw.id !== undefined) event.id = raw.id
  const data = raw.data.join('\n')
  try {
    event.json = JSON.parse(data) as JsonValue
  } catch {
    event.data = data
  }
  return event
}
