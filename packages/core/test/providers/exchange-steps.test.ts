import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type FakeProvider, startFakeProvider } from '../../../../test/utils/fake-provider.js'
import { exchangeSteps } from '../../src/engine/exchange-steps.js'
import type { JsonValue, Step } from '../../src/index.js'
import { exchange, type WireExchange } from './wire.js'

let fake: FakeProvider
beforeAll(async () => {
  fake = await startFakeProvider()
})
afterAll(() => fake.close())

const steps = (wire: WireExchange, seq = 0, correlationId = 'x1'): Step[] =>
  exchangeSteps({ ...wire, seq, correlationId })
const kinds = (list: Step[]): string[] => list.map((step) => step.kind)

describe('exchangeSteps', () => {
  test('plain HTTP: http.request then http.response, with timing', async () => {
    const wire = await exchange(fake.url, '/weather?city=Oslo')
    const list = exchangeSteps({ ...wire, seq: 4, correlationId: 'x3', timing: { startMs: 10, durationMs: 2.5 } })
    expect(list).toEqual([
      { kind: 'http.request', seq: 4, correlationId: 'x3', timing: { startMs: 10 }, request: wire.request },
      {
        kind: 'http.response',
        seq: 5,
        correlationId: 'x3',
        timing: { startMs: 10, durationMs: 2.5 },
        response: wire.response,
      },
    ])
  })

  test('a failed request gets an error.event instead of a response', () => {
    const request = { method: 'GET', url: 'http://127.0.0.1:1/weather', headers: {} }
    expect(
      exchangeSteps({
        request,
        error: { message: 'connect ECONNREFUSED', code: 'ECONNREFUSED' },
        seq: 0,
        correlationId: 'x1',
      }),
    ).toEqual([
      { kind: 'http.request', seq: 0, correlationId: 'x1', request },
      { kind: 'error.event', seq: 1, correlationId: 'x1', message: 'connect ECONNREFUSED', code: 'ECONNREFUSED' },
    ])
    const model = {
      method: 'POST',
      url: 'http://127.0.0.1:1/v1/messages',
      headers: {},
      body: { json: { model: 'claude' } },
    }
    const list = exchangeSteps({
      request: model,
      error: { message: 'refused' },
      seq: 7,
      correlationId: 'x2',
      timing: { startMs: 1 },
    })
    expect(list).toEqual([
      {
        kind: 'model.request',
        seq: 7,
        correlationId: 'x2',
        timing: { startMs: 1 },
        provider: 'anthropic',
        endpoint: 'messages',
        model: 'claude',
        stream: false,
        request: model,
      },
      { kind: 'error.event', seq: 8, correlationId: 'x2', timing: { startMs: 1 }, message: 'refused' },
    ])
    // Still in flight: only the request.
    expect(kinds(exchangeSteps({ request: model, seq: 0, correlationId: 'x1' }))).toEqual(['model.request'])
  })

  test('a provider answer: model.request and model.response with the summary and the raw response', async () => {
    const body = { model: 'gpt-fake', stream: true, messages: [{ role: 'user', content: 'hi' }] }
    const wire = await exchange(fake.url, '/v1/chat/completions', body)
    const [request, response, ...rest] = steps(wire)
    expect(rest).toEqual([])
    expect(request).toEqual({
      kind: 'model.request',
      seq: 0,
      correlationId: 'x1',
      provider: 'openai',
      endpoint: 'chat.completions',
      model: 'gpt-fake',
      stream: true,
      request: wire.request,
    })
    expect(response).toEqual({
      kind: 'model.response',
      seq: 1,
      correlationId: 'x1',
      provider: 'openai',
      text: 'echo: hi',
      finishReason: 'stop',
      response: wire.response,
    })
  })

  test('an error status is a model.response that keeps the body and has no answer fields', async () => {
    const wire = await exchange(fake.url, '/v1/messages', { model: 'fake-error-429', max_tokens: 1, messages: [] })
    const [, response] = steps(wire)
    expect(response).toEqual({
      kind: 'model.response',
      seq: 1,
      correlationId: 'x1',
      provider: 'anthropic',
      response: wire.response,
    })
    expect(wire.response.status).toBe(429)
    expect(wire.response.body).toEqual({
      json: { type: 'error', error: { type: 'rate_limit_error', message: expect.any(String) } },
    })
  })

  const flows: {
    name: string
    path: string
    first: JsonValue
    second: (callId: string, previous: JsonValue) => JsonValue
  }[] = [
    {
      name: 'openai chat',
      path: '/v1/chat/completions',
      first: {
        model: 'gpt-fake',
        tools: [{ type: 'function', function: { name: 'get_weather' } }],
        messages: [{ role: 'user', content: 'weather in Oslo' }],
      },
      second: (callId, previous) => ({
        model: 'gpt-fake',
        tools: [{ type: 'function', function: { name: 'get_weather' } }],
        messages: [
          { role: 'user', content: 'weather in Oslo' },
          (previous as { choices: { message: JsonValue }[] }).choices[0]!.message,
          { role: 'tool', tool_call_id: callId, content: '12C' },
        ],
      }),
    },
    {
      name: 'openai responses',
      path: '/v1/responses',
      first: { model: 'gpt-fake', tools: [{ type: 'function', name: 'get_weather' }], input: 'weather in Oslo' },
      second: (callId, previous) => ({
        model: 'gpt-fake',
        tools: [{ type: 'function', name: 'get_weather' }],
        input: [
          { role: 'user', content: 'weather in Oslo' },
          ...(previous as { output: JsonValue[] }).output,
          { type: 'function_call_output', call_id: callId, output: '12C' },
        ],
      }),
    },
    {
      name: 'anthropic',
      path: '/v1/messages',
      first: {
        model: 'claude-fake-1',
        max_tokens: 99,
        tools: [{ name: 'get_weather' }],
        messages: [{ role: 'user', content: 'weather in Oslo' }],
      },
      second: (callId, previous) => ({
        model: 'claude-fake-1',
        max_tokens: 99,
        tools: [{ name: 'get_weather' }],
        messages: [
          { role: 'user', content: 'weather in Oslo' },
          { role: 'assistant', content: (previous as { content: JsonValue }).content },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: callId, content: '12C' }] },
        ],
      }),
    },
    {
      name: 'gemini',
      path: '/v1beta/models/gemini-fake:generateContent',
      first: {
        tools: [{ functionDeclarations: [{ name: 'get_weather' }] }],
        contents: [{ role: 'user', parts: [{ text: 'weather in Oslo' }] }],
      },
      second: (_callId, previous) => ({
        tools: [{ functionDeclarations: [{ name: 'get_weather' }] }],
        contents: [
          { role: 'user', parts: [{ text: 'weather in Oslo' }] },
          (previous as { candidates: { content: JsonValue }[] }).candidates[0]!.content,
          { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { output: '12C' } } }] },
        ],
      }),
    },
  ]

  test.each(flows)('$name tool round trip: tool.request, then tool.response with the same call id', async (flow) => {
    const first = await exchange(fake.url, flow.path, flow.first)
    const one = steps(first, 0, 'x1')
    expect(kinds(one)).toEqual(['model.request', 'model.response', 'tool.request'])
    const call = one[2] as Extract<Step, { kind: 'tool.request' }>
    expect(call).toMatchObject({ seq: 2, correlationId: 'x1', name: 'get_weather', arguments: { city: 'Oslo' } })

    const previous = (first.response.body as { json: JsonValue }).json
    const second = await exchange(fake.url, flow.path, flow.second(call.callId, previous))
    const two = steps(second, 3, 'x2')
    expect(kinds(two)).toEqual(['tool.response', 'model.request', 'model.response'])
    expect(two.map((step) => step.seq)).toEqual([3, 4, 5])
    expect(two.every((step) => step.correlationId === 'x2')).toBe(true)
    expect(two[0]).toMatchObject({ kind: 'tool.response', callId: call.callId })
    expect((two[2] as Extract<Step, { kind: 'model.response' }>).text).toMatch(/^The tool returned: .*12C/)
  })

  test('a body the adapter cannot read still gives both steps', () => {
    const request = {
      method: 'POST',
      url: '/v1/chat/completions',
      headers: {},
      body: { base64: Buffer.from([0xff, 0x00]).toString('base64') },
    }
    const response = { status: 200, headers: {}, body: { text: 'not json at all' } }
    expect(exchangeSteps({ request, response, seq: 0, correlationId: 'x1' })).toEqual([
      {
        kind: 'model.request',
        seq: 0,
        correlationId: 'x1',
        provider: 'openai',
        endpoint: 'chat.completions',
        stream: false,
        request,
      },
      { kind: 'model.response', seq: 1, correlationId: 'x1', provider: 'openai', response },
    ])
  })
})
