import type { HttpRequestData, HttpResponseData, JsonValue, ProviderAdapter, ToolCall } from '@replaykit/core'

type Json = Record<string, JsonValue>
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)

/** The JSON objects of a body: one for a buffered answer, one per NDJSON line for a stream. */
function objectsOf(response: HttpResponseData): Json[] {
  const body = response.body
  const text = response.stream
    ? response.stream.events.map((event) => event.data ?? `${JSON.stringify(event.json)}\n`).join('')
    : body && 'text' in body
      ? body.text
      : body && 'json' in body
        ? JSON.stringify(body.json)
        : ''
  return text.split('\n').flatMap((line) => {
    try {
      const value: unknown = JSON.parse(line)
      return isObject(value) ? [value] : []
    } catch {
      return [] // a blank or cut line: skip it, never throw
    }
  })
}

function requestJson(request: HttpRequestData): Json {
  const body = request.body
  if (body && 'json' in body && isObject(body.json)) return body.json
  return {}
}

/** Ollama's chat API (`POST /api/chat`), buffered or streamed as NDJSON. */
export const ollamaAdapter: ProviderAdapter = {
  provider: 'ollama',
  endpointFor: (method, path) => (method === 'POST' && path.endsWith('/api/chat') ? 'chat' : undefined),
  summarizeRequest(_endpoint, request) {
    const body = requestJson(request)
    const summary = { stream: body.stream !== false, toolResults: [] }
    return typeof body.model === 'string' ? { ...summary, model: body.model } : summary
  },
  summarizeResponse(_endpoint, response) {
    let text = ''
    const toolCalls: ToolCall[] = []
    let finishReason: string | undefined
    for (const chunk of objectsOf(response)) {
      const message = isObject(chunk.message) ? chunk.message : {}
      if (typeof message.content === 'string') text += message.content
      for (const call of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
        const fn = isObject(call) && isObject(call.function) ? call.function : {}
        const name = typeof fn.name === 'string' ? fn.name : ''
        toolCalls.push({ id: `${name}#${toolCalls.length}`, name, arguments: fn.arguments ?? {} })
      }
      if (typeof chunk.done_reason === 'string') finishReason = chunk.done_reason
    }
    return {
      ...(text ? { text } : {}),
      ...(toolCalls.length > 0 ? { toolCalls } : {}),
      ...(finishReason ? { finishReason } : {}),
    }
  },
  // Ollama's error shape: the client library throws ResponseError with this message.
  refusalBody: (_endpoint, message) => ({ error: message }),
  promptText(_endpoint, request) {
    const messages = requestJson(request).messages
    const last = Array.isArray(messages) ? messages[messages.length - 1] : undefined
    return isObject(last) && typeof last.content === 'string' ? last.content : undefined
  },
  fields: { prompt: ['messages'], tools: ['tools'], toolCalls: ['toolCalls', 'tool_calls'] },
}
