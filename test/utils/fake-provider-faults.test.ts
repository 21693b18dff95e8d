/**
 * The fake provider's plain routes and scripted faults (errors, cut streams, malformed events),
 * determinism and options, over loopback.
 */
import OpenAI from 'openai'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { type FakeProvider, startFakeProvider } from './fake-provider.js'

let fake: FakeProvider
beforeAll(async () => {
  fake = await startFakeProvider()
})
afterAll(() => fake.close())
beforeEach(() => fake.reset())

describe('plain routes and faults', () => {
  test('weather, echo, text, bytes and status routes', async () => {
    expect(await (await fetch(`${fake.url}/weather?city=Oslo`)).json()).toEqual({
      city: 'Oslo',
      tempC: 12,
      conditions: 'cloudy',
    })
    const echo = await fetch(`${fake.url}/echo`, {
      method: 'POST',
      body: '{"a":1}',
      headers: { 'content-type': 'application/json' },
    })
    expect(await echo.json()).toEqual({ a: 1 })
    expect(await (await fetch(`${fake.url}/text`)).text()).toBe('hello from the fake')
    expect(new Uint8Array(await (await fetch(`${fake.url}/bytes?n=4`)).arrayBuffer())).toEqual(
      new Uint8Array([11, 48, 85, 122]),
    )
    expect((await fetch(`${fake.url}/status/503`)).status).toBe(503)
    expect((await fetch(`${fake.url}/nowhere`)).status).toBe(404)
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toContain('POST /echo')
    expect(fake.requests.find((r) => r.path === '/echo')?.body).toEqual({ a: 1 })
  })

  test('a clean SSE stream, one cut mid-way and one with a malformed event', async () => {
    expect(await (await fetch(`${fake.url}/sse/ticks?count=2`)).text()).toBe(
      'event: tick\ndata: {"n":1}\n\nevent: tick\ndata: {"n":2}\n\n',
    )
    const cut = await fetch(`${fake.url}/sse/interrupted`)
    expect(cut.status).toBe(200)
    const reader = cut.body!.getReader()
    let received = ''
    const failure = await (async () => {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) return undefined
        received += Buffer.from(value).toString()
      }
    })().catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(Error)
    expect(received).toContain('"n":1')
    expect(received).not.toContain('"n":4')
    expect(await (await fetch(`${fake.url}/sse/malformed`)).text()).toContain('data: {"n": \n\n')
  })

  test('the fake-interrupt model cuts a provider stream, and the SDK sees it', async () => {
    const client = new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'sk-test-key', maxRetries: 0 })
    const stream = await client.chat.completions.create({
      model: 'fake-interrupt',
      messages: [{ role: 'user', content: 'one two three four five six' }],
      stream: true,
    })
    let text = ''
    const failure = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? ''
    })().catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(Error)
    expect(text.startsWith('echo: ')).toBe(true)
    expect(text).not.toBe('echo: one two three four five six')
  })

  test('the fake-malformed model sends an event the SDK cannot parse', async () => {
    const client = new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'sk-test-key', maxRetries: 0 })
    const stream = await client.chat.completions.create({ model: 'fake-malformed', messages: [], stream: true })
    const failure = await (async () => {
      for await (const _ of stream) {
        // drain
      }
    })().catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(SyntaxError)
  })

  test('answers are deterministic, a script can replace them, and latency is applied', async () => {
    const slow = await startFakeProvider({ latencyMs: 20, eventDelayMs: 1 })
    try {
      const ask = async () =>
        (
          await fetch(`${slow.url}/v1/chat/completions`, {
            method: 'POST',
            body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }] }),
          })
        ).text()
      const first = await ask()
      expect(await ask()).toBe(first)
      slow.setReply((turn) => ({ type: 'text', text: `drifted: ${turn.lastUserText}` }))
      expect(JSON.parse(await ask()).choices[0].message.content).toBe('drifted: x')
      slow.setReply(undefined)
      expect(await ask()).toBe(first)
      expect(slow.requests).toHaveLength(4)
      slow.reset()
      expect(slow.requests).toHaveLength(0)
    } finally {
      await slow.close()
    }
  })
})
