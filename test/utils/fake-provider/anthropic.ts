/**
 * Fake Anthropic Messages: a `message` JSON, or the event stream (message_start,
 * content_block_start/delta/stop, ping, message_delta, message_stop) with `input_json_delta`
 * fragments for tool_use blocks. Also `count_tokens`.
 */
import { type CallStamp, digest, FIXED_STAMP, fragments, pieces, tokens } from './ids.js'
import { type FakeResponse, json } from './respond.js'
import { scriptedReply } from './script.js'
import { buildTurn, type Entry, objects, str, textOf } from './turn.js'
import type { FakeReplyScript, FakeTurn } from './types.js'

export function anthropicTurn(body: Record<string, unknown>): FakeTurn {
  const entries: Entry[] = []
  for (const message of objects(body.messages)) {
    if (message.role !== 'user') continue
    const results = objects(message.content).filter((block) => block.type === 'tool_result')
    if (results.length > 0) for (const block of results) entries.push({ type: 'tool', output: textOf(block.content) })
    else entries.push({ type: 'user', text: textOf(message.content) })
  }
  const tools = objects(body.tools).map((tool) => str(tool.name) ?? '')
  return buildTurn({ provider: 'anthropic', endpoint: 'messages', model: str(body.model) ?? '', tools }, entries)
}

export function messages(
  body: Record<string, unknown>,
  script: FakeReplyScript | undefined,
  stamp: CallStamp = FIXED_STAMP,
): FakeResponse {
  const turn = anthropicTurn(body)
  const reply = scriptedReply(turn, script)
  const hash = digest(body, stamp.salt)
  const inputTokens = tokens(body.messages)
  const answer = reply.type === 'text' ? reply.text : JSON.stringify(reply.arguments)
  const block =
    reply.type === 'text'
      ? { type: 'text', text: reply.text }
      : { type: 'tool_use', id: `toolu_${hash}`, name: reply.name, input: reply.arguments }
  const stopReason = reply.type === 'text' ? 'end_turn' : 'tool_use'
  const message = (content: unknown[], stop: string | null, outputTokens: number) => ({
    id: `msg_${hash}`,
    type: 'message',
    role: 'assistant',
    model: turn.model || 'claude-fake-1',
    content,
    stop_reason: stop,
    stop_sequence: null,
    usage: {
      input_tokens: inputTokens,
      output_tokens: outputTokens,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    },
  })
  if (body.stream !== true) return json(200, message([block], stopReason, tokens(answer)))

  const events: Record<string, unknown>[] = [
    { type: 'message_start', message: message([], null, 1) },
    {
      type: 'content_block_start',
      index: 0,
      content_block: block.type === 'text' ? { type: 'text', text: '' } : { ...block, input: {} },
    },
    { type: 'ping' },
  ]
  if (block.type === 'text') {
    for (const text of pieces(answer))
      events.push({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })
  } else {
    // The API opens a tool input with an empty fragment, then streams the JSON in pieces.
    for (const partial_json of ['', ...fragments(answer)]) {
      events.push({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json } })
    }
  }
  events.push({ type: 'content_block_stop', index: 0 })
  events.push({
    type: 'message_delta',
    delta: { stop_reason: stopReason, stop_sequence: null },
    usage: { output_tokens: tokens(answer) },
  })
  events.push({ type: 'message_stop' })
  return {
    type: 'sse',
    frames: events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`),
    malformedFrame: 'event: content_block_delta\ndata: {"type": "content_block_delta", "index": \n\n',
  }
}

export function countTokens(body: Record<string, unknown>): FakeResponse {
  return json(200, { input_tokens: tokens(body.messages) })
}

/** Anthropic's error body. */
export function anthropicError(status: number, message: string): FakeResponse {
  const type = status === 401 ? 'authentication_error' : status === 429 ? 'rate_limit_error' : 'invalid_request_error'
  return json(status, { type: 'error', error: { type, message } })
}
