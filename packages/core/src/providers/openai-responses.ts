/**
 * OpenAI Responses (`POST {base}/responses`): request and response summaries.
 *
 * @see https://platform.openai.com/docs/api-reference/responses
 */
import type { JsonObject, JsonValue, StreamEvent, ToolCall } from '../artifact/types.js'
import { isRecord, makeSummary, makeUsage, num, parseArguments, records, str } from './json.js'
import type { ResponseSummary, ToolResult } from './types.js'

/** Input items the model produced: a tool result after the last of them is a new one. */
const MODEL_ITEM_TYPES = new Set(['function_call', 'custom_tool_call', 'reasoning'])

/** `{type:'function_call_output', call_id, output}` input items after the model's last output item. */
export function responsesToolResults(body: JsonObject): ToolResult[] {
  const items = records(body.input)
  const lastModelItem = items.findLastIndex(
    (item) => MODEL_ITEM_TYPES.has(str(item.type) ?? '') || item.role === 'assistant',
  )
  const results: ToolResult[] = []
  for (const item of items.slice(lastModelItem + 1)) {
    const callId = str(item.call_id)
    const isOutput = item.type === 'function_call_output' || item.type === 'custom_tool_call_output'
    if (isOutput && callId !== undefined) results.push({ callId, output: item.output ?? null })
  }
  return results
}

/** A `response` object (buffered, or the one a terminal stream event carries). */
export function summarizeResponsesBody(body: JsonValue | undefined): ResponseSummary {
  if (!isRecord(body)) return {}
  let text = ''
  const toolCalls: ToolCall[] = []
  for (const item of records(body.output)) {
    if (item.type === 'message') {
      for (const part of records(item.content)) if (part.type === 'output_text') text += str(part.text) ?? ''
    } else if (item.type === 'function_call') {
      toolCalls.push({
        id: callId(item),
        name: str(item.name) ?? '',
        arguments: parseArguments(str(item.arguments) ?? ''),
      })
    } else if (item.type === 'custom_tool_call') {
      toolCalls.push({ id: callId(item), name: str(item.name) ?? '', arguments: item.input ?? null })
    }
  }
  return makeSummary({ text, toolCalls, usage: responsesUsage(body.usage), finishReason: finishOf(body) })
}

/** Terminal events of a Responses stream; their `response` holds the whole answer. */
const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed'])

/**
 * A Responses event stream. The terminal event carries the full response, so that is read
 * when present; an interrupted stream is assembled from its deltas instead.
 */
export function summarizeResponsesStream(events: StreamEvent[]): ResponseSummary {
  let text = ''
  const items = new Map<number, { id: string; name: string; args: string; done: boolean }>()
  for (const event of events) {
    const data = event.json
    if (!isRecord(data)) continue
    const type = str(data.type) ?? event.event ?? ''
    if (TERMINAL.has(type) && isRecord(data.response) && records(data.response.output).length > 0) {
      return summarizeResponsesBody(data.response)
    }
    const index = num(data.output_index) ?? 0
    if (type === 'response.output_text.delta') text += str(data.delta) ?? ''
    else if (type === 'response.output_item.added' || type === 'response.output_item.done') {
      const item = isRecord(data.item) ? data.item : {}
      if (item.type !== 'function_call') continue
      const done = type === 'response.output_item.done'
      items.set(index, { id: callId(item), name: str(item.name) ?? '', args: str(item.arguments) ?? '', done })
    } else if (type === 'response.function_call_arguments.delta') {
      const item = items.get(index)
      if (item && !item.done) item.args += str(data.delta) ?? ''
    } else if (type === 'response.function_call_arguments.done') {
      const item = items.get(index)
      if (item) item.args = str(data.arguments) ?? item.args
    }
  }
  const toolCalls = [...items.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, item]) => ({ id: item.id, name: item.name, arguments: parseArguments(item.args) }))
  const terminal = events.map((e) => e.json).find((json) => isRecord(json) && TERMINAL.has(str(json.type) ?? ''))
  const response = isRecord(terminal) && isRecord(terminal.response) ? terminal.response : {}
  return makeSummary({ text, toolCalls, usage: responsesUsage(response.usage), finishReason: finishOf(response) })
}

/** The call id the code answers with (`call_…`), not the item id (`fc_…`). */
function callId(item: JsonObject): string {
  return str(item.call_id) ?? str(item.id) ?? ''
}

function responsesUsage(usage: JsonValue | undefined): ReturnType<typeof makeUsage> {
  if (!isRecord(usage)) return undefined
  return makeUsage(num(usage.input_tokens), num(usage.output_tokens), num(usage.total_tokens))
}

/** `completed`, or why it stopped early (`max_output_tokens`, `content_filter`), or `failed`. */
function finishOf(response: JsonObject): string | undefined {
  const status = str(response.status)
  if (status === 'incomplete' && isRecord(response.incomplete_details)) {
    return str(response.incomplete_details.reason) ?? status
  }
  return status
}
