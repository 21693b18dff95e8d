/**
 * The Anthropic adapter: Messages (`POST …/v1/messages`, also `?beta=true` as Claude Code
 * sends it) and token counting (`POST …/v1/messages/count_tokens`).
 *
 * @see https://docs.anthropic.com/en/api/messages
 */
import type {
  HttpRequestData,
  HttpResponseData,
  JsonObject,
  JsonValue,
  StreamEvent,
  ToolCall,
} from '../artifact/types.js'
import {
  bodyJson,
  isRecord,
  makeSummary,
  makeUsage,
  num,
  parseArguments,
  records,
  responseJson,
  sseEvents,
  str,
} from './json.js'
import { lastMessageText } from './prompt-text.js'
import type { ProviderAdapter, RequestSummary, ResponseSummary, ToolResult } from './types.js'

export const anthropicAdapter: ProviderAdapter = {
  provider: 'anthropic',

  // The message id and tool_use ids, in a message body and in the stream's message_start and
  // content_block_start events.
  volatileResponsePaths: ['$.id', '$.content[*].id', '$.message.id', '$.message.content[*].id', '$.content_block.id'],

  endpointFor(method: string, path: string): string | undefined {
    if (method.toUpperCase() !== 'POST') return undefined
    if (path.endsWith('/v1/messages')) return 'messages'
    if (path.endsWith('/v1/messages/count_tokens')) return 'messages.count_tokens'
    return undefined
  },

  summarizeRequest(endpoint: string, request: HttpRequestData): RequestSummary {
    const body = bodyJson(request.body)
    if (!isRecord(body)) return { stream: false, toolResults: [] }
    // count_tokens carries a whole conversation too, but sends nothing back to a model.
    const summary: RequestSummary = {
      stream: body.stream === true,
      toolResults: endpoint === 'messages' ? toolResults(body) : [],
    }
    const model = str(body.model)
    if (model !== undefined) summary.model = model
    return summary
  },

  summarizeResponse(endpoint: string, response: HttpResponseData): ResponseSummary {
    if (endpoint === 'messages.count_tokens') {
      const body = responseJson(response)
      return makeSummary({ usage: isRecord(body) ? makeUsage(num(body.input_tokens)) : undefined })
    }
    const events = sseEvents(response)
    return events ? summarizeStream(events) : summarizeMessage(responseJson(response))
  },

  refusalBody(_endpoint: string, message: string): JsonValue {
    return { type: 'error', error: { type: 'invalid_request_error', message } }
  },

  promptText(_endpoint: string, request: HttpRequestData): string | undefined {
    return lastMessageText(request, 'messages')
  },

  fields: {
    prompt: ['messages', 'system'],
    tools: ['tools', 'tool_choice'],
    // Tool calls are `tool_use` content blocks: a change in one is under `content`, read by type.
    toolCalls: ['toolCalls'],
  },
}

/** `tool_result` blocks in the user turn(s) after the last assistant message. */
function toolResults(body: JsonObject): ToolResult[] {
  const messages = records(body.messages)
  const lastAssistant = messages.findLastIndex((message) => message.role === 'assistant')
  const results: ToolResult[] = []
  for (const message of messages.slice(lastAssistant + 1)) {
    if (message.role !== 'user') continue
    for (const block of records(message.content)) {
      const callId = str(block.tool_use_id)
      if (block.type !== 'tool_result' || callId === undefined) continue
      const result: ToolResult = { callId, output: block.content ?? null }
      if (typeof block.is_error === 'boolean') result.isError = block.is_error
      results.push(result)
    }
  }
  return results
}

function summarizeMessage(body: JsonValue | undefined): ResponseSummary {
  if (!isRecord(body)) return {}
  let text = ''
  const toolCalls: ToolCall[] = []
  for (const block of records(body.content)) {
    if (block.type === 'text') text += str(block.text) ?? ''
    if (block.type === 'tool_use') {
      toolCalls.push({ id: str(block.id) ?? '', name: str(block.name) ?? '', arguments: block.input ?? {} })
    }
  }
  return makeSummary({ text, toolCalls, usage: usageOf(body.usage), finishReason: str(body.stop_reason) })
}

/**
 * A Messages event stream: text from `text_delta`s, tool input from the `partial_json` of
 * `input_json_delta`s (joined per block, parsed at the end), usage from `message_start`
 * updated by `message_delta`, and the stop reason from `message_delta`.
 */
function summarizeStream(events: StreamEvent[]): ResponseSummary {
  let text = ''
  let stopReason: string | undefined
  let usage: JsonObject = {}
  const tools = new Map<number, { id: string; name: string; json: string; input: JsonValue }>()
  for (const event of events) {
    const data = event.json
    if (!isRecord(data)) continue
    const type = str(data.type) ?? event.event
    if (type === 'message_start' && isRecord(data.message) && isRecord(data.message.usage)) {
      usage = { ...data.message.usage }
    } else if (type === 'content_block_start' && isRecord(data.content_block)) {
      const block = data.content_block
      if (block.type === 'tool_use') {
        const tool = { id: str(block.id) ?? '', name: str(block.name) ?? '', json: '', input: block.input ?? {} }
        tools.set(num(data.index) ?? tools.size, tool)
      }
    } else if (type === 'content_block_delta' && isRecord(data.delta)) {
      const delta = data.delta
      if (delta.type === 'text_delta') text += str(delta.text) ?? ''
      const tool = tools.get(num(data.index) ?? -1)
      if (delta.type === 'input_json_delta' && tool) tool.json += str(delta.partial_json) ?? ''
    } else if (type === 'message_delta') {
      if (isRecord(data.delta)) stopReason = str(data.delta.stop_reason) ?? stopReason
      // Counts in message_delta are cumulative: they replace the ones from message_start.
      if (isRecord(data.usage)) usage = { ...usage, ...stripNulls(data.usage) }
    }
  }
  const toolCalls = [...tools.entries()]
    .sort(([a], [b]) => a - b)
    // A tool without arguments streams no fragments: its input is the one the block opened with.
    .map(([, tool]) => ({
      id: tool.id,
      name: tool.name,
      arguments: tool.json ? parseArguments(tool.json) : tool.input,
    }))
  return makeSummary({ text, toolCalls, usage: usageOf(usage), finishReason: stopReason })
}

/** Input counts the cached prompt too, so it compares with OpenAI's `prompt_tokens`. */
function usageOf(usage: JsonValue | undefined): ReturnType<typeof makeUsage> {
  if (!isRecord(usage)) return undefined
  const base = num(usage.input_tokens)
  const cached = (num(usage.cache_creation_input_tokens) ?? 0) + (num(usage.cache_read_input_tokens) ?? 0)
  return makeUsage(base === undefined ? undefined : base + cached, num(usage.output_tokens))
}

function stripNulls(object: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== null))
}
