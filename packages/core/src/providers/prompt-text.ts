/**
 * The last message of a prompt as one text, for one-line views (`replaykit inspect`). Each
 * adapter says which body member holds the conversation; the message shapes are alike
 * enough (`content`, `text`, `parts`) to be read by one walker.
 */
import type { HttpRequestData, JsonValue } from '../artifact/types.js'
import { bodyJson, isRecord } from './json.js'

/**
 * The text of the last entry of `body[member]` (or the member itself when it is a string),
 * or undefined when the request has no such member.
 */
export function lastMessageText(request: HttpRequestData, member: string): string | undefined {
  const body = bodyJson(request.body)
  if (!isRecord(body)) return undefined
  const list = body[member]
  if (typeof list === 'string') return list
  if (Array.isArray(list) && list.length > 0) return textOf(list[list.length - 1] as JsonValue)
  return undefined
}

/** The text parts of a message, whatever the provider's shape, joined with spaces. */
function textOf(value: JsonValue): string {
  if (typeof value === 'string') return value
  if (Array.isArray(value)) return value.map(textOf).filter(Boolean).join(' ')
  if (!isRecord(value)) return ''
  const inner = value.content ?? value.text ?? value.parts
  return inner === undefined ? '' : textOf(inner)
}
