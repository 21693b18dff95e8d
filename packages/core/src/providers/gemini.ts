/**
 * The Gemini adapter: `POST …/models/{model}:generateContent` and `:streamGenerateContent`
 * (`?alt=sse` gives SSE frames; without it the stream is one JSON array), under `/v1beta`,
 * `/v1` or a Vertex-style resource path.
 *
 * Gemini function calls usually carry no id, so calls are named `<name>#<index>` (index among
 * the function calls of the answer), and a `functionResponse` is given the id of the call it
 * answers: the call with the same name, in the same order, in the model turn before it.
 *
 * @see https://ai.google.dev/api/generate-content
 */
import type { HttpRequestData, HttpResponseData, JsonObject, JsonValue, ToolCall } from '../artifact/types.js'
import {
  bodyJson,
  isRecord,
  makeSummary,
  makeUsage,
  num,
  records,
  responseJson,
  sseEvents,
  str,
  urlPath,
} from './json.js'
import { lastMessageText } from './prompt-text.js'
import type { ProviderAdapter, RequestSummary, ResponseSummary, ToolResult } from './types.js'

const ENDPOINT = /\/(?:models|tunedModels)\/([^/:]+):(generateContent|streamGenerateContent)$/

export const geminiAdapter: ProviderAdapter = {
  provider: 'gemini',

  // Function calls usually have no id; when the API gives one, it is made up per call too.
  volatileResponsePaths: ['$.responseId', '$.createTime', '$.candidates[*].content.parts[*].functionCall.id'],

  endpointFor(method: string, path: string): string | undefined {
    if (method.toUpperCase() !== 'POST') return undefined
    return ENDPOINT.exec(path)?.[2]
  },

  summarizeRequest(endpoint: string, request: HttpRequestData): RequestSummary {
    const body = bodyJson(request.body)
    const summary: RequestSummary = {
      stream: endpoint === 'streamGenerateContent',
      toolResults: isRecord(body) ? toolResults(body) : [],
    }
    const model = ENDPOINT.exec(urlPath(request.url))?.[1]
    if (model !== undefined) summary.model = model
    return summary
  },

  summarizeResponse(_endpoint: string, response: HttpResponseData): ResponseSummary {
    const events = sseEvents(response)
    const body = events ? events.map((event) => event.json ?? null) : responseJson(response)
    // A stream is a list of partial answers; a buffered answer is a list of one.
    return summarizeChunks(Array.isArray(body) ? body : [body ?? null])
  },

  refusalBody(_endpoint: string, message: string): JsonValue {
    // google.rpc.Status, as the Gemini API sends its errors.
    return { error: { code: 400, message, status: 'FAILED_PRECONDITION' } }
  },

  promptText(_endpoint: string, request: HttpRequestData): string | undefined {
    return lastMessageText(request, 'contents')
  },

  fields: {
    prompt: ['contents', 'systemInstruction'],
    tools: ['tools', 'toolConfig'],
    toolCalls: ['toolCalls', 'functionCall'],
  },
}

function summarizeChunks(chunks: JsonValue[]): ResponseSummary {
  let text = ''
  let finishReason: string | undefined
  let usage: JsonObject | undefined
  const toolCalls: ToolCall[] = []
  for (const chunk of chunks) {
    if (!isRecord(chunk)) continue
    if (isRecord(chunk.usageMetadata)) usage = chunk.usageMetadata
    const candidate = records(chunk.candidates).find((c) => (num(c.index) ?? 0) === 0)
    if (!candidate) continue
    finishReason = str(candidate.finishReason) ?? finishReason
    const content = isRecord(candidate.content) ? candidate.content : {}
    for (const part of records(content.parts)) {
      // Thought summaries are reasoning, not the answer.
      if (typeof part.text === 'string' && part.thought !== true) text += part.text
      if (isRecord(part.functionCall)) {
        const call = part.functionCall
        const name = str(call.name) ?? ''
        toolCalls.push({ id: str(call.id) ?? `${name}#${toolCalls.length}`, name, arguments: call.args ?? {} })
      }
    }
  }
  return makeSummary({ text, toolCalls, usage: usageOf(usage), finishReason })
}

/** `functionResponse` parts in the contents after the last model turn. */
function toolResults(body: JsonObject): ToolResult[] {
  const contents = records(body.contents)
  const lastModel = contents.findLastIndex((content) => content.role === 'model')
  const calls = lastModel === -1 ? [] : functionCalls(contents[lastModel]!)
  const used = new Set<number>()
  const results: ToolResult[] = []
  for (const content of contents.slice(lastModel + 1)) {
    for (const part of records(content.parts)) {
      if (!isRecord(part.functionResponse)) continue
      const response = part.functionResponse
      const name = str(response.name) ?? ''
      let callId = str(response.id)
      if (callId === undefined) {
        const index = calls.findIndex((call, i) => !used.has(i) && call.name === name)
        if (index !== -1) used.add(index)
        callId = index === -1 ? `${name}#${results.length}` : (calls[index]!.id ?? `${name}#${index}`)
      }
      const output = response.response ?? null
      const result: ToolResult = { callId, output }
      // The documented convention: `output` for a result, `error` for a failure.
      if (isRecord(output) && 'error' in output && !('output' in output)) result.isError = true
      results.push(result)
    }
  }
  return results
}

function functionCalls(content: JsonObject): { name: string; id?: string }[] {
  return records(content.parts)
    .map((part) => part.functionCall)
    .filter(isRecord)
    .map((call) => {
      const id = str(call.id)
      return id === undefined ? { name: str(call.name) ?? '' } : { name: str(call.name) ?? '', id }
    })
}

/** Output counts thinking too, so it compares with OpenAI's `completion_tokens`. */
function usageOf(usage: JsonObject | undefined): ReturnType<typeof makeUsage> {
  if (!usage) return undefined
  const candidates = num(usage.candidatesTokenCount)
  const thoughts = num(usage.thoughtsTokenCount)
  const output = candidates === undefined && thoughts === undefined ? undefined : (candidates ?? 0) + (thoughts ?? 0)
  return makeUsage(num(usage.promptTokenCount), output, num(usage.totalTokenCount))
}
