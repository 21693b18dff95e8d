import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type FakeProvider, startFakeProvider } from '../../../../test/utils/fake-provider.js'
import type { HttpRequestData, JsonValue } from '../../src/index.js'
import { geminiAdapter } from '../../src/providers/index.js'
import { exchange } from './wire.js'

let fake: FakeProvider
beforeAll(async () => {
  fake = await startFakeProvider()
})
afterAll(() => fake.close())

const tools = [{ functionDeclarations: [{ name: 'get_weather' }, { name: 'get_time' }] }]
const request = (path: string, body: JsonValue): HttpRequestData => ({
  method: 'POST',
  url: `http://127.0.0.1${path}`,
  headers: {},
  body: { json: body },
})

describe('gemini', () => {
  test('request: model from the path, stream from the endpoint', () => {
    const body = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }
    expect(
      geminiAdapter.summarizeRequest('generateContent', request('/v1beta/models/gemini-2.5-pro:generateContent', body)),
    ).toEqual({
      model: 'gemini-2.5-pro',
      stream: false,
      toolResults: [],
    })
    const streaming = request('/v1/models/gemini-2.5-flash:streamGenerateContent?alt=sse', body)
    expect(geminiAdapter.summarizeRequest('streamGenerateContent', streaming)).toMatchObject({
      stream: true,
      model: 'gemini-2.5-flash',
    })
  })

  test('functionResponse parts get the id of the call they answer, by name and order', () => {
    const body: JsonValue = {
      contents: [
        { role: 'user', parts: [{ text: 'weather and time in Oslo?' }] },
        {
          role: 'model',
          parts: [
            { functionCall: { name: 'get_time', args: {} } },
            { functionCall: { name: 'get_weather', args: { city: 'Oslo' } } },
            { functionCall: { name: 'get_weather', args: { city: 'Bergen' } } },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'get_weather', response: { output: '12C' } } },
            { functionResponse: { name: 'get_weather', response: { error: 'no station' } } },
            { functionResponse: { name: 'get_time', id: 'explicit-id', response: { output: '10:00' } } },
          ],
        },
      ],
    }
    expect(
      geminiAdapter.summarizeRequest('generateContent', request('/v1beta/models/m:generateContent', body)).toolResults,
    ).toEqual([
      { callId: 'get_weather#1', output: { output: '12C' } },
      { callId: 'get_weather#2', output: { error: 'no station' }, isError: true },
      { callId: 'explicit-id', output: { output: '10:00' } },
    ])
  })

  test.each([
    ['generateContent', '/v1beta/models/gemini-fake:generateContent'],
    ['streamGenerateContent', '/v1beta/models/gemini-fake:streamGenerateContent?alt=sse'],
    ['streamGenerateContent', '/v1/models/gemini-fake:streamGenerateContent'],
  ])('%s text answer from %s', async (endpoint, path) => {
    const wire = await exchange(fake.url, path, { contents: [{ role: 'user', parts: [{ text: 'hello gemini' }] }] })
    if (path.endsWith('alt=sse')) expect(wire.response.stream?.lineEnding).toBe('\r\n')
    const summary = geminiAdapter.summarizeResponse(endpoint, wire.response)
    expect(summary).toEqual({
      text: 'echo: hello gemini',
      finishReason: 'STOP',
      usage: { inputTokens: expect.any(Number), outputTokens: expect.any(Number), totalTokens: expect.any(Number) },
    })
  })

  test.each([false, true])('function calls get stable ids <name>#<index> (stream: %s)', async (stream) => {
    const path = `/v1beta/models/gemini-fake:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`
    const wire = await exchange(fake.url, path, {
      tools,
      contents: [{ role: 'user', parts: [{ text: 'weather in Paris' }] }],
    })
    const summary = geminiAdapter.summarizeResponse(stream ? 'streamGenerateContent' : 'generateContent', wire.response)
    expect(summary.toolCalls).toEqual([{ id: 'get_weather#0', name: 'get_weather', arguments: { city: 'Paris' } }])
  })

  test('thought parts are not answer text; a chunked JSON-array stream is read whole', () => {
    const chunks = [
      { candidates: [{ index: 0, content: { role: 'model', parts: [{ text: 'pondering', thought: true }] } }] },
      {
        candidates: [
          {
            index: 0,
            content: { role: 'model', parts: [{ text: 'Hi' }, { functionCall: { name: 'a', args: { x: 1 } } }] },
          },
        ],
      },
      {
        candidates: [
          {
            index: 0,
            content: { role: 'model', parts: [{ functionCall: { name: 'a', id: 'own-id' } }] },
            finishReason: 'STOP',
          },
        ],
        usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 3, thoughtsTokenCount: 2, totalTokenCount: 10 },
      },
    ]
    const text = JSON.stringify(chunks)
    const events = [{ data: text.slice(0, 40) }, { data: text.slice(40) }]
    const summary = geminiAdapter.summarizeResponse('streamGenerateContent', {
      status: 200,
      headers: {},
      stream: { format: 'chunks', events, completion: 'clean' },
    })
    expect(summary).toEqual({
      text: 'Hi',
      toolCalls: [
        { id: 'a#0', name: 'a', arguments: { x: 1 } },
        { id: 'own-id', name: 'a', arguments: {} },
      ],
      usage: { inputTokens: 5, outputTokens: 5, totalTokens: 10 },
      finishReason: 'STOP',
    })
  })
})
