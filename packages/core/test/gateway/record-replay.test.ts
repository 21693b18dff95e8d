/**
 * The gateway's round trip with the real SDK clients: recorded live through
 * the gateway to the fake provider, then replayed strict with the fake
 * stopped (zero upstream requests, same outputs); a changed request in strict
 * replay gets a provider-shaped error naming the recording and the field.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeProvider, startFakeProvider } from '../../../../test/utils/fake-provider.js'
import { readRpkFile } from '../../src/artifact/read.js'
import { startGateway } from '../../src/public/gateway.js'
import { ANTHROPIC_CANARY, CANARY, runClients } from './sdk-clients.js'

let dir: string
let fake: FakeProvider
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-gateway-'))
  fake = await startFakeProvider()
})
afterAll(async () => {
  await fake.close().catch(() => {})
  rmSync(dir, { recursive: true, force: true })
})

const upstreams = (): { openai: string; anthropic: string; gemini: string } => ({
  openai: `${fake.url}/v1`,
  anthropic: fake.url,
  gemini: fake.url,
})

describe('record live, replay strict', () => {
  it('answers every SDK from the recording with zero upstream requests', async () => {
    const out = join(dir, 'session.rpk')
    const logs: string[] = []
    const live = await startGateway({ out, upstreams: upstreams(), log: (line) => logs.push(line) })
    const recorded = await runClients(live.url)
    const summary = await live.close()
    expect(summary.errors).toBe(0)
    expect(summary.degraded).toEqual([])
    expect(summary.written.steps).toBeGreaterThan(16)
    expect(recorded.chat).toBe('echo: hello chat')
    expect(recorded.chatStream).toBe('echo: hello stream')
    expect(recorded.responsesStream).toBe('{"city":"Paris"}')
    expect(recorded.geminiStream).toBe('echo: hello gemini stream')
    expect(fake.requests.length).toBe(8)
    // The headers the provider needs reach it unchanged.
    const anthropicRequest = fake.requests.find((request) => request.path.startsWith('/v1/messages'))
    expect(anthropicRequest?.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(anthropicRequest?.headers['anthropic-beta']).toBe('replaykit-test-2026')
    expect(anthropicRequest?.headers.authorization ?? anthropicRequest?.headers['x-api-key']).toContain(
      ANTHROPIC_CANARY,
    )

    const text = readFileSync(out, 'utf8')
    for (const secret of [CANARY, ANTHROPIC_CANARY, 'AIzaCANARY']) {
      expect(text).not.toContain(secret)
      expect(logs.join('\n')).not.toContain(secret)
    }
    const file = readRpkFile(out)
    const steps = Object.values(file?.runs ?? {}).flatMap((run) => run.steps)
    const kinds = steps.map((step) => step.kind)
    expect(kinds.filter((kind) => kind === 'model.request')).toHaveLength(8)
    expect(kinds).toContain('tool.request')
    const streamed = steps.find((step) => step.kind === 'model.response' && step.response.stream)
    expect(streamed?.kind === 'model.response' && streamed.response.stream?.completion).toBe('clean')

    const count = fake.requests.length
    await fake.close()
    const replay = await startGateway({ replay: out })
    const replayed = await runClients(replay.url)
    const after = await replay.close()
    expect(replayed).toEqual(recorded)
    expect(after.errors).toBe(0)
    expect(fake.requests.length).toBe(count)
    fake = await startFakeProvider()
  })

  it('refuses a changed request in strict replay, naming the recording and the field', async () => {
    const out = join(dir, 'miss.rpk')
    const live = await startGateway({ out, upstreams: upstreams() })
    const client = (url: string): OpenAI => new OpenAI({ baseURL: `${url}/v1`, apiKey: CANARY, maxRetries: 0 })
    await client(live.url).chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'one' }] })
    await live.close()

    const replay = await startGateway({ replay: out, out: join(dir, 'miss-replay.rpk') })
    fake.reset()
    const error = await client(replay.url)
      .chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'two' }] })
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(OpenAI.BadRequestError)
    const message = (error as Error).message
    expect(message).toContain(out)
    expect(message).toContain('$.messages[0].content')
    expect(fake.requests).toHaveLength(0)
    const summary = await replay.close()
    expect(summary.errors).toBe(1)
    // A divergence, not a fault of the gateway.
    expect(summary.degraded).toEqual([])
    // The divergence is recorded.
    const divergence = Object.values(readRpkFile(join(dir, 'miss-replay.rpk'))?.runs ?? {}).flatMap((run) => run.steps)
    expect(divergence.some((step) => step.kind === 'error.event' && step.code === 'RPK_REPLAY_MISS')).toBe(true)
  })

  it('a key in a prompt and in a query parameter never reaches the artifact or the log', async () => {
    const out = join(dir, 'canary.rpk')
    const logs: string[] = []
    const live = await startGateway({ out, upstreams: upstreams(), log: (line) => logs.push(line) })
    const answer = await new OpenAI({
      baseURL: `${live.url}/v1`,
      apiKey: CANARY,
      maxRetries: 0,
    }).chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: `my key is ${CANARY}` }],
    })
    const gemini = await fetch(
      `${live.url}/v1beta/models/gemini-2.5-flash:generateContent?key=AIzaCANARYcanary0123456789abcdefghijklm`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
      },
    )
    expect(gemini.status).toBe(200)
    await live.close()
    // The upstream got the key; the client got the answer.
    expect(answer.choices[0]?.message.content).toContain('CANARY')
    const text = readFileSync(out, 'utf8')
    expect(text).not.toContain('CANARY')
    expect(logs.join('\n')).not.toContain('CANARY')
  })

  it('sends a miss live in hybrid replay', async () => {
    const out = join(dir, 'hybrid.rpk')
    const live = await startGateway({ out, upstreams: upstreams() })
    const client = (url: string): OpenAI => new OpenAI({ baseURL: `${url}/v1`, apiKey: CANARY, maxRetries: 0 })
    await client(live.url).chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'one' }] })
    await live.close()
    fake.reset()
    const replay = await startGateway({ replay: out, mode: 'hybrid', upstreams: upstreams() })
    const same = await client(replay.url).chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'one' }],
    })
    const changed = await client(replay.url).chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'two' }],
    })
    await replay.close()
    expect(same.choices[0]?.message.content).toBe('echo: one')
    expect(changed.choices[0]?.message.content).toBe('echo: two')
    expect(fake.requests).toHaveLength(1)
  })
})
