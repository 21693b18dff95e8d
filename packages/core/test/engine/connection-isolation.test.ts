/**
 * Captures in one process stay apart even when the HTTP client pools its
 * connections: undici reconnects a pooled client from the old socket's close
 * event, in the async context of the capture that opened it, so the engine
 * must not take the context from the socket (see src/engine/request-tag.ts).
 */
import OpenAI from 'openai'
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest'
import { type FakeProvider, startFakeProvider } from '../../../../test/utils/fake-provider.js'
import { runCapture } from '../../src/public/engine.js'

let fake: FakeProvider
beforeAll(async () => {
  fake = await startFakeProvider()
})
afterAll(() => fake.close())
beforeEach(() => fake.reset())

/** One client for the whole file, as an app holds it: its pool outlives every capture. */
let client: OpenAI
beforeAll(() => {
  client = new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'sk-test-0123456789abcdefghijklmn', maxRetries: 0 })
})

async function streamedAnswer(): Promise<string> {
  const stream = await client.chat.completions.create({
    model: 'gpt-fake',
    messages: [{ role: 'user', content: 'Say hello' }],
    stream: true,
  })
  let text = ''
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? ''
  return text
}

/** Back-to-back captures started from separate callbacks, as a test runner starts them. */
async function inSeparateCallbacks<T>(count: number, fn: () => Promise<T>): Promise<T[]> {
  const results: T[] = []
  for (let i = 0; i < count; i++) {
    results.push(await new Promise<T>((resolve, reject) => setTimeout(() => fn().then(resolve, reject), 1)))
  }
  return results
}

test('every one of many back-to-back record captures on a pooled client records its own exchange', async () => {
  const steps = await inSeparateCallbacks(30, async () => {
    const result = await runCapture(streamedAnswer, { mode: 'record' })
    return result.run.steps.length
  })
  expect(steps).toEqual(steps.map(() => 2))
  expect(fake.requests).toHaveLength(30)
})

test('strict replays after a record capture on the same pooled client never reach the network', async () => {
  const recorded = await runCapture(streamedAnswer, { mode: 'record' })
  expect(recorded.run.steps).toHaveLength(2)
  fake.reset()
  const replays = await inSeparateCallbacks(10, () =>
    runCapture(streamedAnswer, { mode: 'strict', recording: recorded.run }),
  )
  expect(fake.requests).toHaveLength(0)
  expect(replays.flatMap((replay) => replay.problems)).toEqual([])
  expect(replays.map((replay) => replay.value)).toEqual(replays.map(() => recorded.value))
})

test('the tag naming the capture is neither stored nor sent', async () => {
  const result = await runCapture(() => fetch(`${fake.url}/weather?city=Oslo`).then((r) => r.json()), {
    mode: 'record',
  })
  const request = result.run.steps.find((step) => step.kind === 'http.request')
  expect(JSON.stringify(request)).not.toContain('x-replaykit-capture')
  expect(fake.requests).toHaveLength(1)
  expect(JSON.stringify(fake.requests[0])).not.toContain('x-replaykit-capture')
})
