/**
 * The OpenAI adapter: Chat Completions, Responses and the model list, under any base path
 * (`/v1/…`, `/openai/v1/…`, or none, as Codex and Azure-style gateways use).
 */
import type { HttpRequestData, HttpResponseData, JsonValue } from '../artifact/types.js'
import { bodyJson, isRecord, responseJson, sseEvents, str } from './json.js'
import { chatToolResults, summarizeChatBody, summarizeChatStream } from './openai-chat.js'
import { responsesToolResults, summarizeResponsesBody, summarizeResponsesStream } from './openai-responses.js'
import { lastMessageText } from './prompt-text.js'
import type { ProviderAdapter, RequestSummary, ResponseSummary } from './types.js'

export const openaiAdapter: ProviderAdapter = {
  provider: 'openai',

  // Chat Completions (body and chunks), then Responses (body, and the events that carry the
  // response or an output item); `obfuscation` is the random padding of streamed events.
  volatileResponsePaths: [
    '$.id',
    '$.created',
    '$.system_fingerprint',
    '$.obfuscation',
    '$.choices[*].message.tool_calls[*].id',
    '$.choices[*].delta.tool_calls[*].id',
    '$.created_at',
    '$.completed_at',
    '$.output[*].id',
    '$.output[*].call_id',
    '$.response.id',
    '$.response.created_at',
    '$.response.completed_at',
    '$.response.output[*].id',
    '$.response.output[*].call_id',
    '$.item.id',
    '$.item.call_id',
    '$.item_id',
  ],

  endpointFor(method: string, path: string): string | undefined {
    const verb = method.toUpperCase()
    if (verb === 'POST' && path.endsWith('/chat/completions')) return 'chat.completions'
    if (verb === 'POST' && path.endsWith('/responses')) return 'responses'
    // `/v1beta/models` is Gemini's model list, not OpenAI's.
    if (verb === 'GET' && path.endsWith('/models') && !/\/v1(alpha|beta)\/models$/.test(path)) return 'models'
    return undefined
  },

  summarizeRequest(endpoint: string, request: HttpRequestData): RequestSummary {
    const body = bodyJson(request.body)
    if (!isRecord(body)) return { stream: false, toolResults: [] }
    const summary: RequestSummary = { stream: body.stream === true, toolResults: [] }
    const model = str(body.model)
    if (model !== undefined) summary.model = model
    if (endpoint === 'chat.completions') summary.toolResults = chatToolResults(body)
    if (endpoint === 'responses') summary.toolResults = responsesToolResults(body)
    return summary
  },

  summarizeResponse(endpoint: string, response: HttpResponseData): ResponseSummary {
    const events = sseEvents(response)
    if (endpoint === 'chat.completions') {
      return events ? summarizeChatStream(events) : summarizeChatBody(responseJson(response))
    }
    if (endpoint === 'responses') {
      return events ? summarizeResponsesStream(events) : summarizeResponsesBody(responseJson(response))
    }
    return {}
  },

  refusalBody(_endpoint: string, message: string): JsonValue {
    // The SDKs read `error.message`, `type` and `code`: `code` says which failure it is.
    return { error: { message, type: 'replaykit_replay_miss', code: 'replay_miss', param: null } }
  },

  promptText(endpoint: string, request: HttpRequestData): string | undefined {
    return lastMessageText(request, endpoint === 'responses' ? 'input' : 'messages')
  },

  fields: {
    // Chat Completions `messages`; Responses `input` and `instructions`; legacy completions `prompt`.
    prompt: ['messages', 'input', 'instructions', 'prompt'],
    tools: ['tools', 'tool_choice', 'functions', 'function_call', 'parallel_tool_calls'],
    toolCalls: ['toolCalls', 'tool_calls', 'function_call'],
  },
}
