/**
 * Synthetic answers (only with the explicit `synthetic` option): a fixed,
 * provider-shaped answer made by the gateway, never by a model. Every one is
 * marked: the `x-replaykit-synthetic: true` header (kept in the recorded
 * response), a count in the status, and a log line.
 */
import type { GatewayProvider } from './types.js'

export const SYNTHETIC_TEXT = '[ReplayKit synthetic answer: no model was called]'
const HEADERS = { 'x-replaykit-synthetic': 'true' }

export function syntheticResponse(provider: GatewayProvider, body: unknown): Response {
  const request = (body !== null && typeof body === 'object' ? body : {}) as Record<string, unknown>
  const model = typeof request.model === 'string' ? request.model : 'synthetic'
  const stream = request.stream === true
  if (provider === 'anthropic') {
    const message = {
      id: 'msg_synthetic',
      type: 'message',
      role: 'assistant',
      model,
      content: [{ type: 'text', text: SYNTHETIC_TEXT }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 0, output_tokens: 0 },
    }
    if (!stream) return json(message)
    return sse([
      ['message_start', { type: 'message_start', message: { ...message, content: [], stop_reason: null } }],
      ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
      [
        'content_block_delta',
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: SYNTHETIC_TEXT } },
      ],
      ['content_block_stop', { type: 'content_block_stop', index: 0 }],
      [
        'message_delta',
        { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 0 } },
      ],
      ['message_stop', { type: 'message_stop' }],
    ])
  }
  if (provider === 'gemini') {
    return json({
      candidates: [{ content: { role: 'model', parts: [{ text: SYNTHETIC_TEXT }] }, finishReason: 'STOP', index: 0 }],
      modelVersion: model,
    })
  }
  if ('input' in request || 'instructions' in request) {
    const response = {
      id: 'resp_synthetic',
      object: 'response',
      status: 'completed',
      model,
      output: [
        {
          type: 'message',
          id: 'msg_synthetic',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: SYNTHETIC_TEXT, annotations: [] }],
        },
      ],
    }
    if (!stream) return json(response)
    return sse([
      [
        'response.created',
        { type: 'response.created', sequence_number: 0, response: { ...response, status: 'in_progress', output: [] } },
      ],
      [
        'response.output_text.delta',
        {
          type: 'response.output_text.delta',
          sequence_number: 1,
          item_id: 'msg_synthetic',
          output_index: 0,
          content_index: 0,
          delta: SYNTHETIC_TEXT,
        },
      ],
      ['response.completed', { type: 'response.completed', sequence_number: 2, response }],
    ])
  }
  const choice = { index: 0, message: { role: 'assistant', content: SYNTHETIC_TEXT }, finish_reason: 'stop' }
  const completion = { id: 'chatcmpl-synthetic', object: 'chat.completion', created: 0, model, choices: [choice] }
  if (!stream) return json(completion)
  return sse(
    [
      [
        undefined,
        {
          ...completion,
          object: 'chat.completion.chunk',
          choices: [{ index: 0, delta: { role: 'assistant', content: SYNTHETIC_TEXT }, finish_reason: 'stop' }],
        },
      ],
    ],
    true,
  )
}

function json(value: unknown): Response {
  return new Response(JSON.stringify(value), { headers: { 'content-type': 'application/json', ...HEADERS } })
}

function sse(events: [string | undefined, unknown][], done = false): Response {
  const text =
    events.map(([name, data]) => `${name ? `event: ${name}\n` : ''}data: ${JSON.stringify(data)}\n\n`).join('') +
    (done ? 'data: [DONE]\n\n' : '')
  return new Response(text, { headers: { 'content-type': 'text/event-stream', ...HEADERS } })
}
