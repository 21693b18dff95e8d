/**
 * Small readers shared by the adapters: typed access to untrusted JSON, body decoding,
 * and the normalised shapes (usage, summary) every adapter returns.
 */
import type {
  Body,
  HttpResponseData,
  JsonObject,
  JsonValue,
  ModelUsage,
  StreamEvent,
  ToolCall,
} from '../artifact/types.js'
import { parseSseText } from './sse-text.js'
import type { ResponseSummary } from './types.js'

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

/** The array, or an empty one for anything else (so loops need no guard). */
export function arr(value: unknown): JsonValue[] {
  return Array.isArray(value) ? (value as JsonValue[]) : []
}

/** The records of an array, skipping anything that is not an object. */
export function records(value: unknown): JsonObject[] {
  return arr(value).filter(isRecord)
}

/**
 * Tool-call arguments as JSON. Providers send them as a JSON string (OpenAI) or as
 * streamed fragments of one (Anthropic, OpenAI streams); invalid JSON is kept as the raw
 * string so that nothing the model said is lost.
 */
export function parseArguments(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue
  } catch {
    return text
  }
}

/** A body as JSON when it is JSON: parsed, or JSON text/base64 that parses. */
export function bodyJson(body: Body | undefined): JsonValue | undefined {
  if (!body) return undefined
  if ('json' in body) return body.json
  const text = 'text' in body ? body.text : 'base64' in body ? Buffer.from(body.base64, 'base64').toString('utf8') : ''
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text) as JsonValue
  } catch {
    return undefined
  }
}

/**
 * The events of a streamed response: the recorded `stream`, or an SSE body that was stored
 * as plain text (a recorder that buffered the stream). Undefined for a buffered JSON answer.
 */
export function sseEvents(response: HttpResponseData): StreamEvent[] | undefined {
  if (response.stream?.format === 'sse') return response.stream.events
  if (response.stream?.format === 'chunks') return undefined
  const body = response.body
  if (body && 'text' in body && /^\s*(data|event|id|:)/m.test(body.text) && bodyJson(body) === undefined) {
    return parseSseText(body.text)
  }
  return undefined
}

/**
 * The JSON of a buffered response, or of a chunked (non-SSE) stream whose chunks join into
 * one JSON document (Gemini's `streamGenerateContent` without `alt=sse` streams one array).
 */
export function responseJson(response: HttpResponseData): JsonValue | undefined {
  const stream = response.stream
  if (stream?.format === 'chunks') {
    const text = stream.events.map(
      (event) => event.data ?? (event.json === undefined ? '' : JSON.stringify(event.json)),
    )
    return bodyJson({ text: text.join('') })
  }
  return bodyJson(response.body)
}

/** Usage with only the counts that are known; the total is derived when the provider omits it. */
export function makeUsage(input?: number, output?: number, total?: number): ModelUsage | undefined {
  const usage: ModelUsage = {}
  if (input !== undefined) usage.inputTokens = input
  if (output !== undefined) usage.outputTokens = output
  const sum = total ?? (input !== undefined && output !== undefined ? input + output : undefined)
  if (sum !== undefined) usage.totalTokens = sum
  return Object.keys(usage).length > 0 ? usage : undefined
}

/** A summary without empty members, so steps carry only what the response said. */
export function makeSummary(parts: {
  text?: string | undefined
  toolCalls?: ToolCall[]
  usage?: ModelUsage | undefined
  finishReason?: string | undefined
}): ResponseSummary {
  const summary: ResponseSummary = {}
  if (parts.text) summary.text = parts.text
  if (parts.toolCalls && parts.toolCalls.length > 0) summary.toolCalls = parts.toolCalls
  if (parts.usage) summary.usage = parts.usage
  if (parts.finishReason) summary.finishReason = parts.finishReason
  return summary
}

/** The path of a URL, or of a bare path; trailing slashes removed, percent-escapes decoded. */
export function urlPath(url: string): string {
  let path: string
  try {
    path = new URL(url, 'http://replaykit.invalid').pathname
  } catch {
    path = url.split(/[?#]/)[0] ?? ''
  }
  try {
    path = decodeURIComponent(path)
  } catch {
    // A malformed escape: keep the path as it came.
  }
  return path.length > 1 ? path.replace(/\/+$/, '') : path
}
