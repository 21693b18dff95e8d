import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type FakeProvider, startFakeProvider } from '../../../../test/utils/fake-provider.js'
import type { HttpRequestData, HttpResponseData, JsonValue, StreamEvent } from '../../src/index.js'
import { openaiAdapter } from '../../src/providers/index.js'
import { exchange } from './wire.js'

let fake: FakeProvider
beforeAll(async () => {
  fake = await startFakeProvider()
})
afterAll(() => fake.close())

const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }]
const request = (body: JsonValue): HttpRequestData => ({
  method: 'POST',
  url: 'http://127.0.0.1/v1/chat/completions',
  headers: {},
  body: { json: body },
})

describe('chat completions', () => {
  test('summarises the request: model, stream flag, no tool results on a first turn', () => {
    const body = { model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'hi' }] }
    expect(openaiAdapter.summarizeRequest('chat.completions', request(body))).toEqual({
      model: 'gpt-4o',
      stream: true,
      toolResults: [],
    })
  })

  test('reads only the tool results sent since the last assistant message', () => {
    const body: JsonValue = {
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'weather in Oslo and Paris?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function' }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'old result' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_2' }, { id: 'call_3' }] },
        { role: 'tool', tool_call_id: 'call_2', content: '12C' },
        { role: 'tool', tool_call_id: 'call_3', content: [{ type: 'text', text: '18C' }] },
      ],
    }
    expect(openaiAdapter.summarizeRequest('chat.completions', request(body)).toolResults).toEqual([
      { callId: 'call_2', output: '12C' },
      { callId: 'call_3', output: [{ type: 'text', text: '18C' }] },
    ])
  })

  test('a JSON answer: text, usage, finish reason', async () => {
    const wire = await exchange(fake.url, '/v1/chat/completions', {
      model: 'gpt-fake',
      messages: [{ role: 'user', content: 'hello' }],
    })
    const summary = openaiAdapter.summarizeResponse('chat.completions', wire.response)
    const usage = (wire.response.body as { json: { usage: Record<string, number> } }).json.usage
    expect(summary).toEqual({
      text: 'echo: hello',
      finishReason: 'stop',
      usage: {
        inputTokens: usage.prompt_tokens,
        outputTokens: usage.completion_tokens,
        totalTokens: usage.total_tokens,
      },
    })
  })

  test('a streamed answer: deltas joined, usage from the include_usage chunk', async () => {
    const wire = await exchange(fake.url, '/v1/chat/completions', {
      model: 'gpt-fake',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'a streamed hello' }],
    })
    expect(wire.response.stream?.events.at(-1)).toEqual({ data: '[DONE]' })
    const summary = openaiAdapter.summarizeResponse('chat.completions', wire.response)
    expect(summary.text).toBe('echo: a streamed hello')
    expect(summary.finishReason).toBe('stop')
    expect(summary.usage?.totalTokens).toBeGreaterThan(0)
    expect(summary.toolCalls).toBeUndefined()
  })

  test.each([false, true])('tool calls with parsed arguments (stream: %s)', async (stream) => {
    const wire = await exchange(fake.url, '/v1/chat/completions', {
      model: 'gpt-fake',
      stream,
      tools,
      messages: [{ role: 'user', content: 'weather in Paris?' }],
    })
    const summary = openaiAdapter.summarizeResponse('chat.completions', wire.response)
    expect(summary.text).toBeUndefined()
    expect(summary.finishReason).toBe('tool_calls')
    expect(summary.toolCalls).toEqual([
      { id: expect.stringMatching(/^call_/), name: 'get_weather', arguments: { city: 'Paris' } },
    ])
  })

  test('an interrupted stream keeps the text that arrived', async () => {
    const wire = await exchange(fake.url, '/v1/chat/completions', {
      model: 'fake-interrupt',
      stream: true,
      messages: [{ role: 'user', content: 'one two three four five six seven' }],
    })
    expect(wire.response.stream?.completion).toBe('interrupted')
    const summary = openaiAdapter.summarizeResponse('chat.completions', wire.response)
    expect(summary.text).toMatch(/^echo: one /)
    expect(summary.finishReason).toBeUndefined()
  })

  test('tool calls arrive by index, interleaved, in fragments of any size', () => {
    const argsArb = fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.oneof(fc.string(), fc.integer()), {
      maxKeys: 4,
    })
    fc.assert(
      fc.property(fc.array(argsArb, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 7 }), (calls, size) => {
        const events = []
        for (const index of calls.keys()) {
          events.push({
            json: chunk({
              tool_calls: [{ index, id: `call_${index}`, function: { name: `f${index}`, arguments: '' } }],
            }),
          })
        }
        // Fragments of all calls interleaved round-robin, as a parallel-tool-call stream may send them.
        const texts = calls.map((args) => JSON.stringify(args))
        for (let offset = 0; texts.some((t) => offset < t.length); offset += size) {
          for (const [index, text] of texts.entries()) {
            if (offset >= text.length) continue
            events.push({
              json: chunk({ tool_calls: [{ index, function: { arguments: text.slice(offset, offset + size) } }] }),
            })
          }
        }
        const response: HttpResponseData = {
          status: 200,
          headers: {},
          stream: { format: 'sse', events, completion: 'clean' },
        }
        const summary = openaiAdapter.summarizeResponse('chat.completions', response)
        expect(summary.toolCalls).toEqual(calls.map((args, i) => ({ id: `call_${i}`, name: `f${i}`, arguments: args })))
      }),
    )
  })

  test('invalid argument JSON is kept as the raw string; a text body with SSE is still read', () => {
    const body = {
      choices: [{ index: 0, message: { tool_calls: [{ id: 'c', function: { name: 'f', arguments: '{oops' } }] } }],
    }
    expect(
      openaiAdapter.summarizeResponse('chat.completions', { status: 200, headers: {}, body: { json: body } }).toolCalls,
    ).toEqual([{ id: 'c', name: 'f', arguments: '{oops' }])
    const text = `data: ${JSON.stringify(chunk({ content: 'hi' }))}\n\ndata: [DONE]\n\n`
    expect(openaiAdapter.summarizeResponse('chat.completions', { status: 200, headers: {}, body: { text } }).text).toBe(
      'hi',
    )
  })
})

describe('responses', () => {
  const responsesTools = [{ type: 'function', name: 'get_weather', parameters: { type: 'object' } }]

  test('reads function_call_output items after the last model item', () => {
    const input: JsonValue[] = [
      { role: 'user', content: 'weather?' },
      { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'get_weather', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_1', output: '12C' },
    ]
    const body = { model: 'gpt-5', stream: true, input }
    expect(openaiAdapter.summarizeRequest('responses', { ...request(body), url: '/v1/responses' })).toEqual({
      model: 'gpt-5',
      stream: true,
      toolResults: [{ callId: 'call_1', output: '12C' }],
    })
    const older = { ...body, input: [...input, { type: 'message', role: 'assistant', content: 'done' }] }
    expect(openaiAdapter.summarizeRequest('responses', request(older)).toolResults).toEqual([])
  })

  test.each([false, true])('text answer (stream: %s)', async (stream) => {
    const wire = await exchange(fake.url, '/v1/responses', { model: 'gpt-fake', stream, input: 'hello there' })
    const summary = openaiAdapter.summarizeResponse('responses', wire.response)
    expect(summary).toEqual({
      text: 'echo: hello there',
      finishReason: 'completed',
      usage: { inputTokens: expect.any(Number), outputTokens: expect.any(Number), totalTokens: expect.any(Number) },
    })
  })

  test.each([false, true])('function call keyed by call_id (stream: %s)', async (stream) => {
    const wire = await exchange(fake.url, '/v1/responses', {
      model: 'gpt-fake',
      stream,
      tools: responsesTools,
      input: [{ role: 'user', content: 'weather in Tokyo' }],
    })
    const summary = openaiAdapter.summarizeResponse('responses', wire.response)
    expect(summary.toolCalls).toEqual([
      { id: expect.stringMatching(/^call_/), name: 'get_weather', arguments: { city: 'Tokyo' } },
    ])
  })

  test('an interrupted stream is assembled from its deltas', async () => {
    const wire = await exchange(fake.url, '/v1/responses', {
      model: 'fake-interrupt',
      stream: true,
      input: 'one two three four five six seven eight nine ten',
    })
    expect(wire.response.stream?.completion).toBe('interrupted')
    const summary = openaiAdapter.summarizeResponse('responses', wire.response)
    expect(summary.text).toMatch(/^echo: one/)
    expect(summary.usage).toBeUndefined()
  })

  test('function call arguments assembled from deltas when no terminal event came', () => {
    const events: StreamEvent[] = [
      {
        event: 'response.output_item.added',
        json: {
          type: 'response.output_item.added',
          output_index: 0,
          item: { type: 'function_call', id: 'fc_1', call_id: 'call_9', name: 'f', arguments: '' },
        },
      },
      { json: { type: 'response.function_call_arguments.delta', output_index: 0, delta: '{"a"' } },
      { json: { type: 'response.function_call_arguments.delta', output_index: 0, delta: ':1}' } },
    ]
    const response: HttpResponseData = {
      status: 200,
      headers: {},
      stream: { format: 'sse', events, completion: 'interrupted' },
    }
    expect(openaiAdapter.summarizeResponse('responses', response)).toEqual({
      toolCalls: [{ id: 'call_9', name: 'f', arguments: { a: 1 } }],
    })
  })

  test('an incomplete response reports why it stopped', () => {
    const body = { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [] }
    expect(openaiAdapter.summarizeResponse('responses', { status: 200, headers: {}, body: { json: body } })).toEqual({
      finishReason: 'max_output_tokens',
    })
  })
})

test('models: a GET without body, nothing to summarise', async () => {
  const wire = await exchange(fake.url, '/v1/models')
  expect(openaiAdapter.summarizeRequest('models', wire.request)).toEqual({ stream: false, toolResults: [] })
  expect(openaiAdapter.summarizeResponse('models', wire.response)).toEqual({})
})

function chunk(delta: Record<string, unknown>): JsonValue {
  return { object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: null }] } as JsonValue
}
