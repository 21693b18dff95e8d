/**
 * Fake OpenAI Responses: a `response` object, or the named event stream
 * (`response.created` … `response.completed`, each with `sequence_number`), text through
 * `output_text.delta` and function calls through `function_call_arguments.delta`.
 */
import { type CallStamp, digest, FIXED_STAMP, fragments, pieces, tokens } from './ids.js'
import { type FakeResponse, json } from './respond.js'
import { scriptedReply } from './script.js'
import { buildTurn, type Entry, objects, str, textOf } from './turn.js'
import type { FakeReplyScript, FakeTurn } from './types.js'

export function responsesTurn(body: Record<string, unknown>): FakeTurn {
  const entries: Entry[] = []
  if (typeof body.input === 'string') entries.push({ type: 'user', text: body.input })
  for (const item of objects(body.input)) {
    if (item.role === 'user') entries.push({ type: 'user', text: textOf(item.content) })
    if (item.type === 'function_call_output') entries.push({ type: 'tool', output: textOf(item.output) })
  }
  const tools = objects(body.tools).map((tool) => str(tool.name) ?? '')
  return buildTurn({ provider: 'openai', endpoint: 'responses', model: str(body.model) ?? '', tools }, entries)
}

export function responses(
  body: Record<string, unknown>,
  script: FakeReplyScript | undefined,
  stamp: CallStamp = FIXED_STAMP,
): FakeResponse {
  const turn = responsesTurn(body)
  const reply = scriptedReply(turn, script)
  const hash = digest(body, stamp.salt)
  const model = turn.model || 'gpt-fake'
  const answer = reply.type === 'text' ? reply.text : JSON.stringify(reply.arguments)
  const usage = {
    input_tokens: tokens(body.input),
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: tokens(answer),
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: tokens(body.input) + tokens(answer),
  }
  const item =
    reply.type === 'text'
      ? {
          id: `msg_${hash}`,
          type: 'message',
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', text: reply.text, annotations: [] }],
        }
      : {
          id: `fc_${hash}`,
          type: 'function_call',
          status: 'completed',
          call_id: `call_${hash.slice(0, 16)}`,
          name: reply.name,
          arguments: answer,
        }
  const response = (status: string, output: unknown[], withUsage: boolean) => ({
    id: `resp_${hash}`,
    object: 'response',
    created_at: stamp.created,
    status,
    model,
    output,
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    parallel_tool_calls: true,
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    usage: withUsage ? usage : null,
  })
  if (body.stream !== true) return json(200, response('completed', [item], true))

  const events: Record<string, unknown>[] = [
    { type: 'response.created', response: response('in_progress', [], false) },
    { type: 'response.in_progress', response: response('in_progress', [], false) },
  ]
  if (item.type === 'message') {
    const ids = { item_id: item.id, output_index: 0, content_index: 0 }
    const part = { type: 'output_text', text: '', annotations: [] }
    events.push({
      type: 'response.output_item.added',
      output_index: 0,
      item: { ...item, status: 'in_progress', content: [] },
    })
    events.push({ type: 'response.content_part.added', ...ids, part })
    for (const delta of pieces(answer)) events.push({ type: 'response.output_text.delta', ...ids, delta, logprobs: [] })
    events.push({ type: 'response.output_text.done', ...ids, text: answer, logprobs: [] })
    events.push({ type: 'response.content_part.done', ...ids, part: { ...part, text: answer } })
  } else {
    const ids = { item_id: item.id, output_index: 0 }
    events.push({
      type: 'response.output_item.added',
      output_index: 0,
      item: { ...item, status: 'in_progress', arguments: '' },
    })
    for (const delta of fragments(answer))
      events.push({ type: 'response.function_call_arguments.delta', ...ids, delta })
    events.push({ type: 'response.function_call_arguments.done', ...ids, arguments: answer })
  }
  events.push({ type: 'response.output_item.done', output_index: 0, item })
  events.push({ type: 'response.completed', response: response('completed', [item], true) })
  return {
    type: 'sse',
    frames: events.map(
      (event, i) => `event: ${event.type}\ndata: ${JSON.stringify({ ...event, sequence_number: i })}\n\n`,
    ),
    malformedFrame: 'event: response.output_text.delta\ndata: {"type": "response.output_text.delta", "delta": \n\n',
  }
}
