/**
 * The adapter contract (adapter-contract.ts) run for every built-in adapter, against the fake
 * provider and the real SDK clients, and for the user adapter of docs/providers.md against a
 * stand-in Ollama server.
 */
import Anthropic from '@anthropic-ai/sdk'
import { ApiError, GoogleGenAI } from '@google/genai'
import OpenAI from 'openai'
import { afterAll, beforeAll } from 'vitest'
import { ollamaAdapter } from '../../../../test/docs/ollama-adapter.js'
import { type FakeOllama, startFakeOllama } from '../../../../test/utils/fake-ollama.js'
import { type FakeProvider, startFakeProvider } from '../../../../test/utils/fake-provider.js'
import type { JsonValue } from '../../src/index.js'
import { anthropicAdapter, geminiAdapter, openaiAdapter, registerAdapter } from '../../src/providers/index.js'
import { adapterContract, type ContractSample } from './adapter-contract.js'
import { exchange, type WireExchange } from './wire.js'

let fake: FakeProvider
let ollama: FakeOllama
let unregister: () => void
beforeAll(async () => {
  fake = await startFakeProvider()
  ollama = await startFakeOllama()
  // The refusal server finds the adapter as the engine does: through the registry.
  unregister = registerAdapter(ollamaAdapter)
})
afterAll(async () => {
  unregister()
  await fake.close()
  await ollama.close()
})

const WEATHER = { name: 'get_weather', arguments: { city: 'Paris' } }

/** The same conversation, asked whole and streamed, once as plain text and once with the weather tool. */
async function pairs(
  origin: () => string,
  path: (stream: boolean) => string,
  body: (text: string, tools: boolean, stream: boolean) => JsonValue,
  text = (prompt: string): string => `echo: ${prompt}`,
): Promise<ContractSample[]> {
  const samples: ContractSample[] = []
  for (const [prompt, tools] of [
    ['hello there', false],
    ['weather in Paris?', true],
  ] as const) {
    const buffered = await exchange(origin(), path(false), body(prompt, tools, false))
    const streamed = await exchange(origin(), path(true), body(prompt, tools, true))
    samples.push({
      name: `${path(false)} ${tools ? 'tool call' : 'text'}`,
      buffered,
      streamed,
      prompt,
      answer: tools ? { toolCalls: [WEATHER] } : { text: text(prompt) },
    })
  }
  return samples
}

adapterContract({
  adapter: openaiAdapter,
  samples: async () => [
    ...(await pairs(
      () => fake.url,
      () => '/v1/chat/completions',
      (content, tools, stream) => ({
        model: 'gpt-fake',
        messages: [{ role: 'user', content }],
        ...(tools
          ? { tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }] }
          : {}),
        ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
      }),
    )),
    ...(await pairs(
      () => fake.url,
      () => '/v1/responses',
      (content, tools, stream) => ({
        model: 'gpt-fake',
        input: [{ role: 'user', content }],
        ...(tools ? { tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object' } }] } : {}),
        ...(stream ? { stream: true } : {}),
      }),
    )),
  ],
  clientError: async (baseUrl) => {
    const client = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: 'test' })
    const error = await thrown(
      client.chat.completions.create({ model: 'gpt-fake', messages: [{ role: 'user', content: 'hi' }] }),
    )
    // The SDK keeps the body's `error` object as `error.error`.
    if (!(error instanceof OpenAI.APIError)) throw error
    const body = error.error as { message?: unknown } | undefined
    return { status: error.status, message: typeof body?.message === 'string' ? body.message : undefined }
  },
})

adapterContract({
  adapter: anthropicAdapter,
  samples: () =>
    pairs(
      () => fake.url,
      () => '/v1/messages',
      (content, tools, stream) => ({
        model: 'claude-fake',
        max_tokens: 100,
        messages: [{ role: 'user', content }],
        ...(tools ? { tools: [{ name: 'get_weather', input_schema: { type: 'object' } }] } : {}),
        ...(stream ? { stream: true } : {}),
      }),
    ),
  clientError: async (baseUrl) => {
    const client = new Anthropic({ baseURL: baseUrl, apiKey: 'test' })
    const error = await thrown(
      client.messages.create({ model: 'claude-fake', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    )
    // The SDK keeps the whole body as `error.error`: `{type: 'error', error: {type, message}}`.
    if (!(error instanceof Anthropic.APIError)) throw error
    const body = error.error as { type?: unknown; error?: { type?: unknown; message?: unknown } } | undefined
    const shaped =
      body?.type === 'error' && typeof body.error?.type === 'string' && typeof body.error.message === 'string'
    return { status: error.status, message: shaped ? (body.error?.message as string) : undefined }
  },
})

adapterContract({
  adapter: geminiAdapter,
  samples: () =>
    pairs(
      () => fake.url,
      (stream) => `/v1beta/models/gemini-fake:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
      (text, tools) => ({
        contents: [{ role: 'user', parts: [{ text }] }],
        ...(tools ? { tools: [{ functionDeclarations: [{ name: 'get_weather' }] }] } : {}),
      }),
    ),
  clientError: async (baseUrl) => {
    const client = new GoogleGenAI({ apiKey: 'test', httpOptions: { baseUrl } })
    const error = await thrown(client.models.generateContent({ model: 'gemini-fake', contents: 'hi' }))
    // The SDK's ApiError carries the body text as its message: a google.rpc.Status `{error: {code, message, status}}`.
    if (!(error instanceof ApiError)) throw error
    const body = JSON.parse(error.message) as { error?: { code?: unknown; message?: unknown; status?: unknown } }
    const status = body.error
    const shaped =
      status?.code === error.status && typeof status?.status === 'string' && typeof status.message === 'string'
    return { status: error.status, message: shaped ? (status?.message as string) : undefined }
  },
})

adapterContract({
  adapter: ollamaAdapter,
  samples: async () =>
    (
      await pairs(
        () => ollama.url,
        () => '/api/chat',
        (content, tools, stream) => ({
          model: 'llama-fake',
          messages: [{ role: 'user', content }],
          stream,
          ...(tools ? { tools: [{ type: 'function', function: { name: 'get_weather' } }] } : {}),
        }),
      )
    ).map((sample) => ({ ...sample, streamed: asChunks(sample.streamed) })),
  // What the `ollama` client does with an error status: throw the body's `error` text.
  clientError: async (baseUrl) => {
    const response = await fetch(`${baseUrl}/api/chat`, {
      method: 'POST',
      body: JSON.stringify({ model: 'llama-fake', messages: [{ role: 'user', content: 'hi' }], stream: false }),
    })
    const body = (await response.json()) as { error?: unknown }
    return { status: response.status, message: typeof body.error === 'string' ? body.error : undefined }
  },
})

/** The error `call` rejects with (a resolved call is a test failure). */
async function thrown(call: Promise<unknown>): Promise<unknown> {
  try {
    await call
  } catch (error) {
    return error
  }
  throw new Error('expected the client to throw on the refusal')
}

/** An NDJSON body as the engine records it (read-response.ts): a `chunks` stream, one event per chunk. */
function asChunks(wire: WireExchange): WireExchange {
  const body = wire.response.body
  const text = body && 'text' in body ? body.text : ''
  const events = text
    .split(/(?<=\n)/)
    .filter((line) => line !== '')
    .map((data) => ({ data }))
  const { body: _body, ...response } = wire.response
  return { ...wire, response: { ...response, stream: { format: 'chunks', events, completion: 'clean' } } }
}
