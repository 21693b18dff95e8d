/**
 * The fake provider speaks the real wire formats: driven here by the real SDK clients over
 * loopback, without any ReplayKit interception.
 */
import Anthropic from '@anthropic-ai/sdk'
import { GoogleGenAI } from '@google/genai'
import OpenAI from 'openai'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { type FakeProvider, startFakeProvider } from './fake-provider.js'

let fake: FakeProvider
beforeAll(async () => {
  fake = await startFakeProvider()
})
afterAll(() => fake.close())
beforeEach(() => fake.reset())

const weatherSchema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }

describe('OpenAI chat completions', () => {
  const client = () => new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'sk-test-key', maxRetries: 0 })
  const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: weatherSchema } }]

  test('answers with an echo of the last user message', async () => {
    const res = await client().chat.completions.create({
      model: 'gpt-fake',
      messages: [{ role: 'user', content: 'hi there' }],
    })
    expect(res.choices[0]?.message.content).toBe('echo: hi there')
    expect(res.choices[0]?.finish_reason).toBe('stop')
    expect(res.usage?.total_tokens).toBeGreaterThan(0)
    expect(fake.requests).toHaveLength(1)
    expect(fake.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      body: { model: 'gpt-fake' },
    })
  })

  test('streams content deltas, a usage chunk and [DONE]', async () => {
    const stream = await client().chat.completions.create({
      model: 'gpt-fake',
      messages: [{ role: 'user', content: 'stream me please' }],
      stream: true,
      stream_options: { include_usage: true },
    })
    let text = ''
    let usage: OpenAI.CompletionUsage | null | undefined
    let chunks = 0
    for await (const chunk of stream) {
      chunks++
      text += chunk.choices[0]?.delta.content ?? ''
      usage = chunk.usage ?? usage
    }
    expect(text).toBe('echo: stream me please')
    expect(chunks).toBeGreaterThan(3)
    expect(usage?.completion_tokens).toBeGreaterThan(0)
  })

  test('tool-call round trip, non-streaming', async () => {
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'What is the weather in Paris?' }]
    const first = await client().chat.completions.create({ model: 'gpt-fake', messages, tools })
    const call = first.choices[0]?.message.tool_calls?.[0]
    expect(first.choices[0]?.finish_reason).toBe('tool_calls')
    expect(call?.type === 'function' && call.function.name).toBe('get_weather')
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' })
    messages.push(first.choices[0]!.message, { role: 'tool', tool_call_id: call!.id, content: '{"tempC":18}' })
    const second = await client().chat.completions.create({ model: 'gpt-fake', messages, tools })
    expect(second.choices[0]?.message.content).toBe('The tool returned: {"tempC":18}')
  })

  test('tool-call round trip, streaming through the SDK accumulator', async () => {
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'weather?' }]
    const first = await client().chat.completions.stream({ model: 'gpt-fake', messages, tools }).finalChatCompletion()
    const call = first.choices[0]?.message.tool_calls?.[0]
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ city: 'Oslo' })
    messages.push(first.choices[0]!.message, { role: 'tool', tool_call_id: call!.id, content: 'sunny' })
    const second = await client().chat.completions.stream({ model: 'gpt-fake', messages, tools }).finalChatCompletion()
    expect(second.choices[0]?.message.content).toBe('The tool returned: sunny')
  })

  test('lists models', async () => {
    const models = []
    for await (const model of client().models.list()) models.push(model.id)
    expect(models).toEqual(['gpt-fake', 'gpt-fake-mini'])
  })

  test('a scripted error model gets an OpenAI error body', async () => {
    const error = await client()
      .chat.completions.create({ model: 'fake-error', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.BadRequestError)
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).status).toBe(400)
  })
})

describe('OpenAI responses', () => {
  const client = () => new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'sk-test-key', maxRetries: 0 })
  const tools = [{ type: 'function' as const, name: 'get_weather', parameters: weatherSchema, strict: false }]

  test('answers text', async () => {
    const res = await client().responses.create({ model: 'gpt-fake', input: 'hello responses' })
    expect(res.output_text).toBe('echo: hello responses')
    expect(res.usage?.total_tokens).toBeGreaterThan(0)
  })

  test('streams the event sequence with sequence numbers', async () => {
    const stream = await client().responses.create({ model: 'gpt-fake', input: 'stream this', stream: true })
    const types: string[] = []
    const sequence: number[] = []
    let text = ''
    for await (const event of stream) {
      types.push(event.type)
      sequence.push(event.sequence_number)
      if (event.type === 'response.output_text.delta') text += event.delta
    }
    expect(text).toBe('echo: stream this')
    expect(types[0]).toBe('response.created')
    expect(types.at(-1)).toBe('response.completed')
    expect(types).toContain('response.content_part.added')
    expect(sequence).toEqual(types.map((_, i) => i))
  })

  test('tool-call round trip, streaming and not', async () => {
    const input: OpenAI.Responses.ResponseInput = [{ role: 'user', content: 'weather in Tokyo' }]
    const first = await client().responses.stream({ model: 'gpt-fake', input, tools }).finalResponse()
    const call = first.output.find((item) => item.type === 'function_call')
    expect(call?.type === 'function_call' && call.name).toBe('get_weather')
    expect(call?.type === 'function_call' && JSON.parse(call.arguments)).toEqual({ city: 'Tokyo' })
    input.push(...(first.output as OpenAI.Responses.ResponseInputItem[]))
    input.push({ type: 'function_call_output', call_id: (call as { call_id: string }).call_id, output: '21C' })
    const second = await client().responses.create({ model: 'gpt-fake', input, tools })
    expect(second.output_text).toBe('The tool returned: 21C')
  })
})

describe('Anthropic messages', () => {
  const client = () => new Anthropic({ baseURL: fake.url, apiKey: 'sk-ant-test-key', maxRetries: 0 })
  const tools = [
    { name: 'get_weather', description: 'weather', input_schema: weatherSchema as Anthropic.Tool.InputSchema },
  ]

  test('answers text and counts tokens', async () => {
    const res = await client().messages.create({
      model: 'claude-fake-1',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hello claude' }],
    })
    expect(res.content).toEqual([{ type: 'text', text: 'echo: hello claude' }])
    expect(res.stop_reason).toBe('end_turn')
    const count = await client().messages.countTokens({
      model: 'claude-fake-1',
      messages: [{ role: 'user', content: 'hello claude' }],
    })
    expect(count.input_tokens).toBeGreaterThan(0)
    expect(fake.requests[0]?.headers['anthropic-version']).toBeDefined()
  })

  test('streams the event sequence', async () => {
    const stream = client().messages.stream({
      model: 'claude-fake-1',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'stream claude' }],
    })
    const types: string[] = []
    stream.on('streamEvent', (event) => types.push(event.type))
    const message = await stream.finalMessage()
    expect(message.content).toEqual([{ type: 'text', text: 'echo: stream claude' }])
    // The SDK drops pings: check the wire for them.
    expect(types.slice(0, 3)).toEqual(['message_start', 'content_block_start', 'content_block_delta'])
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop'])
    const raw = await fetch(`${fake.url}/v1/messages`, {
      method: 'POST',
      body: JSON.stringify({ model: 'claude-fake-1', stream: true, messages: [{ role: 'user', content: 'x' }] }),
    })
    expect(raw.headers.get('content-type')).toContain('text/event-stream')
    expect(await raw.text()).toContain('event: ping\ndata: {"type":"ping"}\n\n')
  })

  test('tool-call round trip, streaming and not', async () => {
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'weather in Oslo?' }]
    const first = await client()
      .messages.stream({ model: 'claude-fake-1', max_tokens: 100, messages, tools })
      .finalMessage()
    const use = first.content.find((block) => block.type === 'tool_use')
    expect(first.stop_reason).toBe('tool_use')
    expect(use?.type === 'tool_use' && use.input).toEqual({ city: 'Oslo' })
    messages.push({ role: 'assistant', content: first.content })
    messages.push({
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: (use as { id: string }).id, content: '12C' }],
    })
    const second = await client().messages.create({ model: 'claude-fake-1', max_tokens: 100, messages, tools })
    expect(second.content).toEqual([{ type: 'text', text: 'The tool returned: 12C' }])
  })

  test('a scripted error model gets an Anthropic error body', async () => {
    const error = await client()
      .messages.create({ model: 'fake-error-404', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Anthropic.NotFoundError)
  })
})

describe('Gemini generateContent', () => {
  const client = () => new GoogleGenAI({ apiKey: 'test-gemini-key', httpOptions: { baseUrl: fake.url } })
  const config = { tools: [{ functionDeclarations: [{ name: 'get_weather', parametersJsonSchema: weatherSchema }] }] }

  test('answers text, streaming and not', async () => {
    const res = await client().models.generateContent({ model: 'gemini-fake', contents: 'hello gemini' })
    expect(res.text).toBe('echo: hello gemini')
    expect(res.usageMetadata?.totalTokenCount).toBeGreaterThan(0)
    let text = ''
    let chunks = 0
    for await (const chunk of await client().models.generateContentStream({
      model: 'gemini-fake',
      contents: 'a b c',
    })) {
      chunks++
      text += chunk.text ?? ''
    }
    expect(text).toBe('echo: a b c')
    expect(chunks).toBe(4)
    expect(fake.requests.map((r) => r.path)).toEqual([
      // @google/genai 3 defaults to the v1 API (v1beta before).
      '/v1/models/gemini-fake:generateContent',
      '/v1/models/gemini-fake:streamGenerateContent?alt=sse',
    ])
  })

  test('tool-call round trip, streaming and not', async () => {
    const user = { role: 'user', parts: [{ text: 'weather in New York' }] }
    let call: { name?: string; args?: Record<string, unknown> } | undefined
    let modelContent: unknown
    for await (const chunk of await client().models.generateContentStream({
      model: 'gemini-fake',
      contents: [user],
      config,
    })) {
      call = chunk.functionCalls?.[0] ?? call
      modelContent = chunk.candidates?.[0]?.content ?? modelContent
    }
    expect(call).toEqual({ name: 'get_weather', args: { city: 'New York' } })
    const contents = [
      user,
      modelContent,
      { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { tempC: 15 } } }] },
    ]
    const res = await client().models.generateContent({ model: 'gemini-fake', contents: contents as never, config })
    expect(res.text).toBe('The tool returned: {"name":"get_weather","response":{"tempC":15}}')
  })
})

describe('freshIds', () => {
  test('hands out new ids and a later created time on every call, as real providers do', async () => {
    const fresh = await startFakeProvider({ freshIds: true })
    try {
      const openai = new OpenAI({ baseURL: `${fresh.url}/v1`, apiKey: 'sk-test-key', maxRetries: 0 })
      const ask = () =>
        openai.chat.completions.create({ model: 'gpt-fake', messages: [{ role: 'user', content: 'hi' }] })
      const [one, two] = [await ask(), await ask()]
      expect(one.choices[0]?.message.content).toBe(two.choices[0]?.message.content)
      expect(one.id).not.toBe(two.id)
      expect(one.id).toHaveLength(two.id.length)
      expect(two.created).toBeGreaterThan(one.created)
    } finally {
      await fresh.close()
    }
    // Without it the same request gets the same ids: recordings of the default fake stay stable.
    const openai = new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'sk-test-key', maxRetries: 0 })
    const ask = () => openai.chat.completions.create({ model: 'gpt-fake', messages: [{ role: 'user', content: 'hi' }] })
    expect((await ask()).id).toBe((await ask()).id)
  })
})
