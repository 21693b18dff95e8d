/**
 * The engine with the real SDK clients against the local fake provider: record, then replay in
 * strict mode with zero requests reaching the provider, streaming and not, for each provider.
 */
import Anthropic from '@anthropic-ai/sdk'
import { GoogleGenAI } from '@google/genai'
import OpenAI from 'openai'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { type FakeProvider, startFakeProvider } from '../../../../test/utils/fake-provider.js'
import { canonicalKey, type Run, type Step, stableStep } from '../../src/index.js'
import { runCapture } from '../../src/public/engine.js'

let fake: FakeProvider
beforeAll(async () => {
  fake = await startFakeProvider()
})
afterAll(() => fake.close())
beforeEach(() => fake.reset())

const weather = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }
const kinds = (run: Run) => run.steps.map((s) => s.kind)
const stable = (run: Run) => canonicalKey(run.steps.map(stableStep))
const ofKind = <K extends Step['kind']>(run: Run, kind: K) =>
  run.steps.filter((s): s is Extract<Step, { kind: K }> => s.kind === kind)

/** Record live, replay strict: the replay answers the same with zero requests to the provider. */
async function roundTrip<T>(code: () => Promise<T>): Promise<{ recording: Run; replayed: T | undefined }> {
  const recorded = await runCapture(code, { mode: 'record' })
  expect(recorded.threw, String(recorded.error)).toBe(false)
  expect(fake.requests.length).toBeGreaterThan(0)
  fake.reset()
  const replay = await runCapture(code, { mode: 'strict', recording: recorded.run })
  expect(replay.threw, String(replay.error)).toBe(false)
  expect(fake.requests).toHaveLength(0)
  expect(replay.problems).toEqual([])
  expect(stable(replay.run)).toBe(stable(recorded.run))
  expect(replay.value).toEqual(recorded.value)
  return { recording: recorded.run, replayed: replay.value }
}

describe('openai', () => {
  const client = () => new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'sk-test-0123456789abcdefghijklmn' })
  const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: weather } }]

  /** A two-turn tool loop, as an agent does it. */
  async function agent(stream: boolean): Promise<string> {
    const openai = client()
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'weather in Oslo?' }]
    for (let turn = 0; turn < 3; turn++) {
      let message: OpenAI.ChatCompletionMessage
      if (stream) {
        const runner = openai.chat.completions.stream({ model: 'gpt-fake', messages, tools })
        message = (await runner.finalChatCompletion()).choices[0]!.message
      } else {
        message = (await openai.chat.completions.create({ model: 'gpt-fake', messages, tools })).choices[0]!.message
      }
      messages.push(message)
      if (!message.tool_calls?.length) return message.content ?? ''
      for (const call of message.tool_calls) {
        if (call.type !== 'function') continue
        messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify({ tempC: 12 }) })
      }
    }
    return 'no answer'
  }

  for (const stream of [false, true]) {
    test(`chat completions tool loop (${stream ? 'streaming' : 'buffered'})`, async () => {
      const { recording, replayed } = await roundTrip(() => agent(stream))
      expect(replayed).toContain('12')
      expect(kinds(recording)).toEqual([
        'model.request',
        'model.response',
        'tool.request',
        'tool.response',
        'model.request',
        'model.response',
      ])
      const [call] = ofKind(recording, 'tool.request')
      expect(call).toMatchObject({ name: 'get_weather', arguments: { city: 'Oslo' } })
      const request = ofKind(recording, 'model.request')[0]
      expect(request).toMatchObject({ provider: 'openai', endpoint: 'chat.completions', model: 'gpt-fake', stream })
      expect(JSON.stringify(recording)).not.toContain('0123456789abcdefghijklmn')
      if (stream) expect(ofKind(recording, 'model.response')[1]?.response.stream?.completion).toBe('clean')
    })
  }

  test('responses API, streamed', async () => {
    const { recording } = await roundTrip(async () => {
      const stream = client().responses.stream({ model: 'gpt-fake', input: 'hello responses' })
      return (await stream.finalResponse()).output_text
    })
    const [response] = ofKind(recording, 'model.response')
    expect(response?.text).toBe('echo: hello responses')
    expect(response?.response.stream?.events[0]).toMatchObject({ event: 'response.created' })
  })

  test('a changed prompt fails fast in strict mode without reaching the provider', async () => {
    const ask = (content: string) => () =>
      client().chat.completions.create({ model: 'gpt-fake', messages: [{ role: 'user', content }] })
    const recorded = await runCapture(ask('weather in Oslo?'), { mode: 'record' })
    fake.reset()
    const started = performance.now()
    const replay = await runCapture(ask('weather in Bergen?'), { mode: 'strict', recording: recorded.run })
    expect(performance.now() - started).toBeLessThan(5_000) // no retries with backoff
    expect(replay.threw).toBe(true)
    expect(String(replay.error)).toMatch(/400 \[ReplayKit\] strict replay: no recorded response matches POST/)
    expect(fake.requests).toHaveLength(0)
    expect(replay.problems.map((p) => p.type)).toEqual(['unmatched-request'])
  })
})

describe('anthropic', () => {
  const client = () => new Anthropic({ baseURL: fake.url, apiKey: 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz' })
  const tools = [{ name: 'get_weather', input_schema: weather as Anthropic.Tool.InputSchema }]

  for (const stream of [false, true]) {
    test(`messages tool loop (${stream ? 'streaming' : 'buffered'})`, async () => {
      const { recording, replayed } = await roundTrip(async () => {
        const anthropic = client()
        const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'weather in Oslo?' }]
        for (let turn = 0; turn < 3; turn++) {
          const params = { model: 'claude-fake', max_tokens: 256, messages, tools }
          const message = stream
            ? await anthropic.messages.stream(params).finalMessage()
            : await anthropic.messages.create(params)
          messages.push({ role: 'assistant', content: message.content })
          const uses = message.content.filter((block) => block.type === 'tool_use')
          if (uses.length === 0) return message.content.map((b) => (b.type === 'text' ? b.text : '')).join('')
          messages.push({
            role: 'user',
            content: uses.map((use) => ({ type: 'tool_result' as const, tool_use_id: use.id, content: '12C' })),
          })
        }
        return 'no answer'
      })
      expect(replayed).toContain('12C')
      expect(ofKind(recording, 'tool.request')[0]).toMatchObject({ name: 'get_weather', arguments: { city: 'Oslo' } })
      expect(ofKind(recording, 'model.request')[0]).toMatchObject({ provider: 'anthropic', endpoint: 'messages' })
      expect(JSON.stringify(recording)).not.toContain('abcdefghijklmnopqrstuvwxyz')
    })
  }
})

describe('gemini', () => {
  const client = () =>
    new GoogleGenAI({ apiKey: 'AIzaSyA-fake-key-0123456789abcdefghijk', httpOptions: { baseUrl: fake.url } })

  test('generateContent and streamGenerateContent', async () => {
    const { recording } = await roundTrip(async () => {
      const ai = client()
      const one = await ai.models.generateContent({ model: 'gemini-fake', contents: 'hello gemini' })
      let streamed = ''
      for await (const chunk of await ai.models.generateContentStream({
        model: 'gemini-fake',
        contents: 'stream me',
      })) {
        streamed += chunk.text ?? ''
      }
      return [one.text, streamed]
    })
    const responses = ofKind(recording, 'model.response')
    expect(responses.map((r) => r.text)).toEqual(['echo: hello gemini', 'echo: stream me'])
    expect(responses[1]?.response.stream?.lineEnding).toBe('\r\n')
    expect(JSON.stringify(recording)).not.toContain('0123456789abcdefghijk')
  })
})

describe('concurrency', () => {
  test('concurrent captures with SDK calls do not mix their steps', async () => {
    const openai = new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'sk-test' })
    const ask = (content: string) => () =>
      openai.chat.completions.create({ model: 'gpt-fake', messages: [{ role: 'user', content }] })
    const names = Array.from({ length: 6 }, (_, i) => `question ${i}`)
    const results = await Promise.all(names.map((name) => runCapture(ask(name), { mode: 'record' })))
    results.forEach((result, i) => {
      expect(result.run.steps).toHaveLength(2)
      expect(JSON.stringify(result.run.steps[0])).toContain(`question ${i}`)
    })
    fake.reset()
    const replays = await Promise.all(
      names.map((name, i) => runCapture(ask(name), { mode: 'strict', recording: results[i]!.run })),
    )
    expect(replays.map((r) => r.problems)).toEqual(names.map(() => []))
    expect(fake.requests).toHaveLength(0)
  })
})
