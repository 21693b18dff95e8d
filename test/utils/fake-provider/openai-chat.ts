/**
 * Fake OpenAI Chat Completions: `chat.completion` JSON, or `chat.completion.chunk` SSE with
 * tool calls in index-keyed fragments, the `include_usage` chunk and `data: [DONE]`.
 */
import { type CallStamp, CREATED, digest, FIXED_STAMP, fragments, pieces, tokens } from './ids.js'
import { type FakeResponse, json } from './respond.js'
import { scriptedReply } from './script.js'
import { buildTurn, type Entry, isObject, objects, str, textOf } from './turn.js'
import type { FakeReplyScript, FakeTurn } from './types.js'

export function chatTurn(body: Record<string, unknown>): FakeTurn {
  const entries: Entry[] = []
  for (const message of objects(body.messages)) {
    if (message.role === 'user') entries.push({ type: 'user', text: textOf(message.content) })
    if (message.role === 'tool') entries.push({ type: 'tool', output: textOf(message.content) })
  }
  const tools = objects(body.tools).map((tool) => str(isObject(tool.function) ? tool.function.name : tool.name) ?? '')
  return buildTurn({ provider: 'openai', endpoint: 'chat.completions', model: str(body.model) ?? '', tools }, entries)
}

export function chatCompletions(
  body: Record<string, unknown>,
  script: FakeReplyScript | undefined,
  stamp: CallStamp = FIXED_STAMP,
): FakeResponse {
  const turn = chatTurn(body)
  const reply = scriptedReply(turn, script)
  const id = `chatcmpl-${digest(body, stamp.salt)}`
  const model = turn.model || 'gpt-fake'
  const call =
    reply.type === 'tool'
      ? { id: `call_${digest(body, stamp.salt).slice(0, 16)}`, name: reply.name, args: JSON.stringify(reply.arguments) }
      : undefined
  const text = reply.type === 'text' ? reply.text : undefined
  const finish = call ? 'tool_calls' : 'stop'
  const usage = {
    prompt_tokens: tokens(body.messages),
    completion_tokens: tokens(text ?? call?.args),
    total_tokens: tokens(body.messages) + tokens(text ?? call?.args),
  }
  if (body.stream !== true) {
    const message = {
      role: 'assistant',
      content: text ?? null,
      refusal: null,
      ...(call
        ? { tool_calls: [{ id: call.id, type: 'function', function: { name: call.name, arguments: call.args } }] }
        : {}),
    }
    return json(200, {
      id,
      object: 'chat.completion',
      created: stamp.created,
      model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
      usage,
    })
  }

  const withUsage = isObject(body.stream_options) && body.stream_options.include_usage === true
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
    id,
    object: 'chat.completion.chunk',
    created: stamp.created,
    model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(withUsage ? { usage: null } : {}),
  })
  const chunks: unknown[] = [chunk({ role: 'assistant', content: text === undefined ? null : '', refusal: null })]
  for (const piece of pieces(text ?? '')) chunks.push(chunk({ content: piece }))
  if (call) {
    const first = { index: 0, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }
    chunks.push(chunk({ tool_calls: [first] }))
    for (const part of fragments(call.args))
      chunks.push(chunk({ tool_calls: [{ index: 0, function: { arguments: part } }] }))
  }
  chunks.push(chunk({}, finish))
  if (withUsage) chunks.push({ id, object: 'chat.completion.chunk', created: stamp.created, model, choices: [], usage })
  return {
    type: 'sse',
    frames: [...chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`), 'data: [DONE]\n\n'],
    malformedFrame: 'data: {"id": "broken", "choices": [\n\n',
  }
}

/** `GET {base}/models`, in OpenAI's shape, or Anthropic's when the client sent `anthropic-version`. */
export function modelList(anthropic: boolean): FakeResponse {
  const ids = anthropic ? ['claude-fake-1'] : ['gpt-fake', 'gpt-fake-mini']
  if (anthropic) {
    const data = ids.map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-11-23T00:00:00Z' }))
    return json(200, { data, has_more: false, first_id: ids[0], last_id: ids.at(-1) })
  }
  return json(200, {
    object: 'list',
    data: ids.map((id) => ({ id, object: 'model', created: CREATED, owned_by: 'fake' })),
  })
}

/** OpenAI's error body. */
export function openaiError(status: number, message: string): FakeResponse {
  const type = status === 401 ? 'authentication_error' : status === 429 ? 'rate_limit_error' : 'invalid_request_error'
  return json(status, { error: { message, type, param: null, code: null } })
}
