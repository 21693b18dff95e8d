/**
 * Secrets cut across stream events. A provider streams its answer in small
 * deltas (`choices[0].delta.content`, Anthropic's `delta.text`, Gemini's
 * `parts[0].text`, tool arguments in 8-character fragments), so a key in the
 * answer can arrive in two events, neither of which looks like a key. The
 * pieces of each delta field are joined in event order, scanned, and a match
 * that spans pieces is replaced: its placeholder goes where the match starts,
 * and the rest of the match is taken out of the following pieces. The joined
 * text then reads as the answer redacted whole, as the client assembles it.
 */
import type { JsonValue, StreamEvent } from '../artifact/types.js'
import { placeholder, type SecretPattern } from './patterns.js'

/** Member names that hold a piece of streamed text or arguments. */
const DELTA_KEYS = new Set(['content', 'text', 'arguments', 'partial_json', 'delta', 'thinking', 'refusal'])

interface Piece {
  /** The object holding the piece and its member name (or the event itself for `data`). */
  holder: { [key: string]: JsonValue } | StreamEvent
  key: string
  value: string
}

/** Redact matches that span pieces of the same delta field across events, in place. */
export function redactAcrossEvents(events: StreamEvent[], patterns: readonly SecretPattern[]): void {
  if (events.length < 2 || patterns.length === 0) return
  const channels = new Map<string, Piece[]>()
  const add = (channel: string, piece: Piece): void => {
    const list = channels.get(channel)
    if (list) list.push(piece)
    else channels.set(channel, [piece])
  }
  for (const event of events) {
    if (typeof event.data === 'string') add('data', { holder: event, key: 'data', value: event.data })
    if (event.json !== undefined) collect(event.json, '', add)
  }
  for (const pieces of channels.values()) if (pieces.length > 1) redactChannel(pieces, patterns)
}

/** String members named like deltas, keyed by their path (array indexes included: one channel per choice). */
function collect(value: JsonValue, path: string, add: (channel: string, piece: Piece) => void, depth = 0): void {
  if (value === null || typeof value !== 'object' || depth > 16) return
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) collect(value[i] as JsonValue, `${path}[${i}]`, add, depth + 1)
    return
  }
  for (const key of Object.keys(value)) {
    const item = value[key] as JsonValue
    if (typeof item === 'string' && DELTA_KEYS.has(key)) add(`${path}.${key}`, { holder: value, key, value: item })
    else collect(item, `${path}.${key}`, add, depth + 1)
  }
}

function redactChannel(pieces: Piece[], patterns: readonly SecretPattern[]): void {
  const joined = pieces.map((piece) => piece.value).join('')
  const starts: number[] = []
  let at = 0
  for (const piece of pieces) {
    starts.push(at)
    at += piece.value.length
  }
  const spans = crossingSpans(joined, starts, patterns)
  if (spans.length === 0) return
  const values = pieces.map((piece) => piece.value)
  // From the last span back: earlier offsets stay valid.
  for (const span of spans.reverse()) {
    const first = pieceAt(starts, span.start)
    const last = pieceAt(starts, span.end - 1)
    const firstStart = starts[first] as number
    const lastStart = starts[last] as number
    values[last] = (values[last] as string).slice(span.end - lastStart)
    for (let i = first + 1; i < last; i++) values[i] = ''
    values[first] = (values[first] as string).slice(0, span.start - firstStart) + placeholder(span.name)
  }
  pieces.forEach((piece, i) => {
    ;(piece.holder as Record<string, unknown>)[piece.key] = values[i]
  })
}

/** Matches of the patterns in the joined text that cross a piece boundary, by start, without overlaps. */
function crossingSpans(
  joined: string,
  starts: readonly number[],
  patterns: readonly SecretPattern[],
): { start: number; end: number; name: string }[] {
  const found: { start: number; end: number; name: string }[] = []
  for (const { name, pattern } of patterns) {
    pattern.lastIndex = 0
    for (let match = pattern.exec(joined); match; match = pattern.exec(joined)) {
      if (match[0] === '') {
        pattern.lastIndex++
        continue
      }
      const start = match.index
      const end = start + match[0].length
      if (pieceAt(starts, start) !== pieceAt(starts, end - 1) && !joined.startsWith('[REDACTED:', start)) {
        found.push({ start, end, name })
      }
    }
  }
  found.sort((a, b) => a.start - b.start)
  const kept: typeof found = []
  for (const span of found) {
    const previous = kept[kept.length - 1]
    if (previous && span.start < previous.end) previous.end = Math.max(previous.end, span.end)
    else kept.push(span)
  }
  return kept
}

/** The index of the piece holding a character of the joined text (binary search over the starts). */
function pieceAt(starts: readonly number[], offset: number): number {
  let low = 0
  let high = starts.length - 1
  while (low < high) {
    const mid = (low + high + 1) >> 1
    if ((starts[mid] as number) <= offset) low = mid
    else high = mid - 1
  }
  return low
}
