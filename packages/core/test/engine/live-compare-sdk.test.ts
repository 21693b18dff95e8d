/**
 * live-compare with the real SDK clients against the fake provider handing out fresh ids and
 * `created` times on every call, as real providers do (issue 10, item 2): a prompt holding a
 * uuid and the date, tool loops whose next request carries the provider's tool call id.
 * An unchanged provider compares equal; a drifted one reports the changed answer text first.
 */
import Anthropic from '@anthropic-ai/sdk'
import { GoogleGenAI } from '@google/genai'
import OpenAI from 'openai'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { type FakeProvider, startFakeProvider } from '../../../../test/utils/fake-provider.js'
import { compareLiveRun, compareRuns, type Run } from '../../src/index.js'
import { runCapture } from '../../src/public/engine.js'

let fake: FakeProvider
beforeAll(async () => {
  fake = await startFakeProvider({ freshIds: true })
})
afterAll(() => fake.close())
beforeEach(() => {
  fake.reset()
  fake.setReply(undefined)
})

const weather = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }

/** A prompt that changes on every real run: the request is the recorded one only when draws are replayed. */
const prompt = () => `weather in Oslo? (session ${crypto.randomUUID()}, ${new Date().toISOString()})`

const bodies = (run: Run) =>
  run.steps.flatMap((step) => (step.kind === 'model.request' ? [JSON.stringify(step.request.body)] : []))
const ids = (run: Run) => run.steps.map((step) => `${step.kind}:${step.correlationId}`)

/**
 * Record, then run live-compare twice: against the unchanged fake (equal), then with the fake's
 * answers changed (the first divergence is the answer text).
 */
async function checkLiveCompare(code: () => Promise<unknown>): Promise<void> {
  const recorded = await runCapture(code, { mode: 'record' })
  expect(recorded.threw, String(recorded.error)).toBe(false)
  const calls = fake.requests.length
  expect(calls).toBeGreaterThan(0)

  fake.reset()
  const live = await runCapture(code, { mode: 'live-compare', recording: recorded.run })
  expect(live.threw, String(live.error)).toBe(false)
  expect(fake.requests).toHaveLength(calls) // everything went live
  // Ids aligned with the recording, and the recorded uuid and date handed back: the same requests.
  expect(ids(live.run)).toEqual(ids(recorded.run))
  expect(bodies(live.run)[0]).toBe(bodies(recorded.run)[0])
  // The fake made up new ids and times: compared as they are, the runs differ.
  expect(compareRuns(recorded.run, live.run).equal).toBe(false)
  const unchanged = compareLiveRun(recorded.run, live.run)
  expect(unchanged.all, JSON.stringify(unchanged.first, null, 2)).toEqual([])
  expect(unchanged.equal).toBe(true)

  fake.setReply((turn) =>
    turn.tools.length > 0 && !turn.hasToolResult ? undefined : { type: 'text', text: 'It is sunny now.' },
  )
  const drifted = await runCapture(code, { mode: 'live-compare', recording: recorded.run })
  const comparison = compareLiveRun(recorded.run, drifted.run)
  expect(comparison.equal).toBe(false)
  expect(comparison.first).toMatchObject({ kind: 'model.response', path: '$.text', actual: 'It is sunny now.' })
}

describe('openai', () => {
  const client = () => new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'sk-test-0123456789abcdefghijklmn' })
  const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: weather } }]

  for (const stream of [false, true]) {
    test(`chat completions tool loop (${stream ? 'streaming' : 'buffered'})`, async () => {
      await checkLiveCompare(async () => {
        const openai = client()
        const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: prompt() }]
        for (let turn = 0; turn < 3; turn++) {
          const message = stream
            ? (await openai.chat.completions.stream({ model: 'gpt-fake', messages, tools }).finalChatCompletion())
                .choices[0]!.message
            : (await openai.chat.completions.create({ model: 'gpt-fake', messages, tools })).choices[0]!.message
          messages.push(message)
          if (!message.tool_calls?.length) return message.content
          for (const call of message.tool_calls) {
            messages.push({ role: 'tool', tool_call_id: call.id, content: '12C' })
          }
        }
        return 'no answer'
      })
    })
  }

  test('responses API tool loop, streamed', async () => {
    await checkLiveCompare(async () => {
      const openai = client()
      const input: OpenAI.Responses.ResponseInputItem[] = [{ role: 'user', content: prompt() }]
      const responseTools = [
        { type: 'function' as const, name: 'get_weather', parameters: weather, strict: false as const },
      ]
      for (let turn = 0; turn < 3; turn++) {
        const response = await openai.responses
          .stream({ model: 'gpt-fake', input, tools: responseTools })
          .finalResponse()
        const calls = response.output.filter((item) => item.type === 'function_call')
        if (calls.length === 0) return response.output_text
        for (const call of calls) {
          input.push(call)
          input.push({ type: 'function_call_output', call_id: call.call_id, output: '12C' })
        }
      }
      return 'no answer'
    })
  })
})

describe('anthropic', () => {
  const client = () => new Anthropic({ baseURL: fake.url, apiKey: 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz' })
  const tools = [{ name: 'get_weather', input_schema: weather as Anthropic.Tool.InputSchema }]

  for (const stream of [false, true]) {
    test(`messages tool loop (${stream ? 'streaming' : 'buffered'})`, async () => {
      await checkLiveCompare(async () => {
        const anthropic = client()
        const messages: Anthropic.MessageParam[] = [{ role: 'user', content: prompt() }]
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
    })
  }
})

describe('gemini', () => {
  test('generateContent and streamGenerateContent', async () => {
    await checkLiveCompare(async () => {
      const ai = new GoogleGenAI({
        apiKey: 'AIzaSyA-fake-key-0123456789abcdefghijk',
        httpOptions: { baseUrl: fake.url },
      })
      const one = await ai.models.generateContent({ model: 'gemini-fake', contents: prompt() })
      let streamed = ''
      for await (const chunk of await ai.models.generateContentStream({
        model: 'gemini-fake',
        contents: 'stream me',
      })) {
        streamed += chunk.text ?? ''
      }
      return [one.text, streamed]
    })
  })
})
