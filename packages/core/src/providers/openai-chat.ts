/**
 * OpenAI Chat Completions (`POST {base}/chat/completions`): request and response summaries.
 *
 * @see https://platform.openai.com/docs/api-reference/chat
 */
import type { JsonObject, JsonValue, StreamEvent, ToolCall } from '../artifact/types.js'
import { arr, isRecord, makeSummary, makeUsage, num, parseArguments, records, str } from './json.js'
import type { ResponseSummary, ToolResult } from './types.js'

/** `{role:'tool', tool_call_id, content}` messages after the last assistant message. */
export function chatToolResults(body: JsonObject): ToolResult[] {
  const messages = records(body.messages)
  const lastAssistant = messages.findLastIndex((message) => message.role === 'assistant')
  const results: ToolResult[] = []
  for (const message of messages.slice(lastAssistant + 1)) {
    const callId = str(message.tool_call_id)
    if (message.role === 'tool' && callId !== undefined) results.push({ callId, output: message.content ?? null })
  }
  return results
}

/** A buffered `chat.completion`: first choice's text and tool calls. */
export function summarizeChatBody(body: JsonValue | undefined): ResponseSummary {
  if (!isRecord(body)) return {}
  const choice = records(body.choices).find((c) => (num(c.index) ?? 0) === 0)
  const message = isRecord(choice?.message) ? choice.message : {}
  const toolCalls: ToolCall[] = []
  for (const call of records(message.tool_calls)) {
    const fn = isRecord(call.function) ? call.function : undefined
    const custom = isRecord(call.custom) ? call.custom : undefined
    const name = str(fn?.name) ?? str(custom?.name) ?? ''
    const args = fn ? parseArguments(str(fn.arguments) ?? '') : (custom?.input ?? null)
    toolCalls.push({ id: str(call.id) ?? '', name, arguments: args })
  }
  // Deprecated single `function_call` (no id): still seen from older models and proxies.
  if (isRecord(message.function_call)) {
    const fn = message.function_call
    toolCalls.push({ id: '', name: str(fn.name) ?? '', arguments: parseArguments(str(fn.arguments) ?? '') })
  }
  return makeSummary({
    text: textOf(message.content),
    toolCalls,
    usage: chatUsage(body.usage),
    finishReason: str(choice?.finish_reason),
  })
}

/**
 * A `chat.completion.chunk` stream: content deltas joined; tool calls assembled by their
 * `index` (the first fragment carries id and name, later ones pieces of the arguments).
 */
export function summarizeChatStream(events: StreamEvent[]): ResponseSummary {
  let text = ''
  let finishReason: string | undefined
  let usage: JsonValue | undefined
  const calls = new Map<number, { id: string; name: string; args: string }>()
  for (const event of events) {
    const chunk = event.json
    if (!isRecord(chunk)) continue
    if (isRecord(chunk.usage)) usage = chunk.usage
    for (const choice of records(chunk.choices)) {
      if ((num(choice.index) ?? 0) !== 0) continue
      finishReason = str(choice.finish_reason) ?? finishReason
      const delta = isRecord(choice.delta) ? choice.delta : {}
      text += str(delta.content) ?? ''
      for (const part of records(delta.tool_calls)) {
        const index = num(part.index) ?? calls.size
        const call = calls.get(index) ?? { id: '', name: '', args: '' }
        const fn = isRecord(part.function) ? part.function : {}
        call.id = str(part.id) ?? call.id
        call.name = str(fn.name) ?? call.name
        call.args += str(fn.arguments) ?? ''
        calls.set(index, call)
      }
    }
  }
  const toolCalls = [...calls.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, call]) => ({ id: call.id, name: call.name, arguments: parseArguments(call.args) }))
  return makeSummary({ text, toolCalls, usage: chatUsage(usage), finishReason })
}

function chatUsage(usage: JsonValue | undefined): ReturnType<typeof makeUsage> {
  if (!isRecord(usage)) return undefined
  return makeUsage(num(usage.prompt_tokens), num(usage.completion_tokens), num(usage.total_tokens))
}

/** Message content: a string, or text parts joined. */
function textOf(content: JsonValue | undefined): string | undefined {
  if (typeof content === 'string') return content
  const parts = records(arr(content)).map((part) => str(part.text) ?? '')
  return parts.length > 0 ? parts.join('') : undefined
}
