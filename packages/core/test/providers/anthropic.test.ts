import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type FakeProvider, startFakeProvider } from '../../../../test/utils/fake-provider.js'
import type { HttpResponseData, JsonValue, StreamEvent } from '../../src/index.js'
import { anthropicAdapter } from '../../src/providers/index.js'
import { exchange } from './wire.js'

let fake: FakeProvider
beforeAll(async () => {
  fake = await startFakeProvider()
})
afterAll(() => fake.close())

const tools = [{ name: 'get_weather', input_schema: { type: 'object' } }]
const sse = (events: StreamEvent[]): HttpResponseData => ({
  status: 200,
  headers: {},
  stream: { format: 'sse', events, completion: 'clean' },
})
const ev = (json: Record<string, unknown>): StreamEvent => ({ event: String(json.type), json: json as JsonValue })

describe('anthropic messages', () => {
  test('request: model, stream, tool_result blocks of the last user turn with is_error', () => {
    const body: JsonValue = {
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      stream: true,
      messages: [
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'old' }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: {} }] },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_2', content: [{ type: 'text', text: 'boom' }], is_error: true },
            { type: 'text', text: 'please retry' },
          ],
        },
      ],
    }
    const request = { method: 'POST', url: '/v1/messages?beta=true', headers: {}, body: { json: body } }
    expect(anthropicAdapter.summarizeRequest('messages', request)).toEqual({
      model: 'claude-sonnet-4-5',
      stream: true,
      toolResults: [{ callId: 'toolu_2', output: [{ type: 'text', text: 'boom' }], isError: true }],
    })
    // count_tokens carries the conversation but sends nothing back to a model.
    expect(anthropicAdapter.summarizeRequest('messages.count_tokens', request).toolResults).toEqual([])
  })

  test.each([false, true])('text answer with usage and stop reason (stream: %s)', async (stream) => {
    const wire = await exchange(fake.url, '/v1/messages', {
      model: 'claude-fake-1',
      max_tokens: 100,
      stream,
      messages: [{ role: 'user', content: 'hello claude' }],
    })
    const summary = anthropicAdapter.summarizeResponse('messages', wire.response)
    expect(summary.text).toBe('echo: hello claude')
    expect(summary.finishReason).toBe('end_turn')
    expect(summary.usage).toEqual({
      inputTokens: expect.any(Number),
      outputTokens: expect.any(Number),
      totalTokens: summary.usage!.inputTokens! + summary.usage!.outputTokens!,
    })
  })

  test.each([false, true])('tool_use with input assembled from input_json_delta (stream: %s)', async (stream) => {
    const wire = await exchange(fake.url, '/v1/messages', {
      model: 'claude-fake-1',
      max_tokens: 100,
      stream,
      tools,
      messages: [{ role: 'user', content: 'weather in New York?' }],
    })
    if (stream) expect(JSON.stringify(wire.response.stream?.events)).toContain('input_json_delta')
    const summary = anthropicAdapter.summarizeResponse('messages', wire.response)
    expect(summary.finishReason).toBe('tool_use')
    expect(summary.toolCalls).toEqual([
      { id: expect.stringMatching(/^toolu_/), name: 'get_weather', arguments: { city: 'New York' } },
    ])
  })

  test('stream: thinking left out, a tool without arguments, usage from message_delta with cache counts', () => {
    const summary = anthropicAdapter.summarizeResponse(
      'messages',
      sse([
        ev({
          type: 'message_start',
          message: { usage: { input_tokens: 10, cache_read_input_tokens: 90, output_tokens: 1 } },
        }),
        ev({ type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } }),
        ev({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'hmm' } }),
        ev({ type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } }),
        { event: 'ping', json: { type: 'ping' } },
        ev({ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Checking' } }),
        ev({
          type: 'content_block_start',
          index: 2,
          content_block: { type: 'tool_use', id: 'toolu_x', name: 'now', input: {} },
        }),
        ev({ type: 'content_block_stop', index: 2 }),
        ev({
          type: 'message_delta',
          delta: { stop_reason: 'tool_use' },
          usage: { output_tokens: 42, input_tokens: null },
        }),
        ev({ type: 'message_stop' }),
      ]),
    )
    expect(summary).toEqual({
      text: 'Checking',
      toolCalls: [{ id: 'toolu_x', name: 'now', arguments: {} }],
      usage: { inputTokens: 100, outputTokens: 42, totalTokens: 142 },
      finishReason: 'tool_use',
    })
  })

  test('an interrupted stream keeps what arrived', async () => {
    const wire = await exchange(fake.url, '/v1/messages', {
      model: 'fake-interrupt',
      max_tokens: 100,
      stream: true,
      messages: [{ role: 'user', content: 'one two three four five six seven eight' }],
    })
    expect(wire.response.stream?.completion).toBe('interrupted')
    const summary = anthropicAdapter.summarizeResponse('messages', wire.response)
    expect(summary.text).toMatch(/^echo: one/)
    expect(summary.finishReason).toBeUndefined()
  })

  test('count_tokens: input tokens only', async () => {
    const wire = await exchange(fake.url, '/v1/messages/count_tokens', {
      model: 'claude-fake-1',
      messages: [{ role: 'user', content: 'count me' }],
    })
    const { input_tokens } = (wire.response.body as { json: { input_tokens: number } }).json
    expect(anthropicAdapter.summarizeResponse('messages.count_tokens', wire.response)).toEqual({
      usage: { inputTokens: input_tokens },
    })
  })
})
