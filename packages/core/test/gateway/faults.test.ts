/**
 * Faults through the gateway: what the upstream does wrong reaches the client
 * as the upstream gave it (or as a provider-shaped 502 when there was no
 * answer) and is recorded; what goes wrong on the capture path (a folder the
 * artifact cannot be written to) never reaches the client.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeProvider, startFakeProvider } from '../../../../test/utils/fake-provider.js'
import { readRpkFile } from '../../src/artifact/read.js'
import type { ModelResponseStep, Step } from '../../src/artifact/types.js'
import { registerAdapter } from '../../src/providers/index.js'
import { type Gateway, startGateway } from '../../src/public/gateway.js'

let dir: string
let fake: FakeProvider
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-gateway-faults-'))
  fake = await startFakeProvider()
})
afterAll(async () => {
  await fake.close()
  rmSync(dir, { recursive: true, force: true })
})

function chat(gateway: Gateway, model: string, stream = false): Promise<Response> {
  return fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test-0123456789abcdefghijkl' },
    body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'hi' }] }),
  })
}

async function session(out: string, use: (gateway: Gateway) => Promise<void>, upstream = fake.url): Promise<Step[]> {
  const gateway = await startGateway({ out, upstreams: { openai: `${upstream}/v1` } })
  await use(gateway)
  await gateway.close()
  return Object.values(readRpkFile(out)?.runs ?? {}).flatMap((run) => run.steps)
}

function responses(steps: Step[]): ModelResponseStep[] {
  return steps.filter((step): step is ModelResponseStep => step.kind === 'model.response')
}

describe('upstream faults reach the client as given, and are recorded', () => {
  it('500 and 429: status and error body unchanged', async () => {
    let bodies: unknown[] = []
    const steps = await session(join(dir, 'errors.rpk'), async (gateway) => {
      const direct = await fetch(`${fake.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'fake-error-429', messages: [{ role: 'user', content: 'hi' }] }),
      })
      const e500 = await chat(gateway, 'fake-error-500')
      const e429 = await chat(gateway, 'fake-error-429')
      expect([e500.status, e429.status]).toEqual([500, 429])
      bodies = [await e429.json(), await direct.json()]
      await e500.body?.cancel()
    })
    expect(bodies[0]).toEqual(bodies[1])
    expect(responses(steps).map((step) => step.response.status)).toEqual([500, 429])
  })

  it('a stream reset midway: the client sees the cut, the step is recorded interrupted', async () => {
    const steps = await session(join(dir, 'reset.rpk'), async (gateway) => {
      const response = await chat(gateway, 'fake-interrupt', true)
      expect(response.status).toBe(200)
      await expect(response.text()).rejects.toThrow()
    })
    expect(responses(steps)[0]?.response.stream?.completion).toBe('interrupted')
  })

  it('malformed SSE is relayed as sent and recorded', async () => {
    let text = ''
    const steps = await session(join(dir, 'malformed.rpk'), async (gateway) => {
      text = await (await chat(gateway, 'fake-malformed', true)).text()
    })
    const direct = await fetch(`${fake.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fake-malformed', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    })
    expect(text).toBe(await direct.text())
    expect(responses(steps)[0]?.response.stream?.events.length).toBeGreaterThan(1)
  })

  it('no answer at all: a provider-shaped 502, recorded as an error.event', async () => {
    const steps = await session(
      join(dir, 'hangup.rpk'),
      async (gateway) => {
        const response = await chat(gateway, 'gpt-4o')
        expect(response.status).toBe(502)
        const body = (await response.json()) as { error: { message: string } }
        expect(body.error.message).toContain('gave no answer')
      },
      `${fake.url}/hang-up?`,
    )
    expect(steps.map((step) => step.kind)).toEqual(['http.request', 'error.event'])
    // Replayed as it was answered live.
    const replay = await startGateway({
      replay: join(dir, 'hangup.rpk'),
      upstreams: { openai: `${fake.url}/hang-up?/v1` },
    })
    const replayed = await chat(replay, 'gpt-4o')
    expect(replayed.status).toBe(502)
    expect(((await replayed.json()) as { error: { message: string } }).error.message).toContain('gave no answer')
    expect((await replay.close()).errors).toBe(0)
  })

  it('a slow upstream: the answer comes when it comes, with its duration recorded', async () => {
    const slow = await startFakeProvider({ latencyMs: 300 })
    try {
      const steps = await session(
        join(dir, 'slow.rpk'),
        async (gateway) => {
          const response = await chat(gateway, 'gpt-4o')
          expect(
            ((await response.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content,
          ).toBe('echo: hi')
        },
        slow.url,
      )
      expect(responses(steps)[0]?.timing?.durationMs).toBeGreaterThanOrEqual(290)
    } finally {
      await slow.close()
    }
  })
})

describe('capture-path faults never reach the client', () => {
  it('an artifact folder that cannot be written: the client is answered, the status is degraded', async () => {
    // A regular file where the folder should be: unwritable even for root (chmod alone is not).
    const blocker = join(dir, 'not-a-folder')
    writeFileSync(blocker, '')
    const gateway = await startGateway({ out: join(blocker, 'agent.rpk'), upstreams: { openai: `${fake.url}/v1` } })
    const response = await chat(gateway, 'gpt-4o', true)
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('data: [DONE]')
    const status = gateway.status()
    expect(status.degraded.some((line) => line.startsWith('journal write failed'))).toBe(true)
    const summary = await gateway.close()
    expect(summary.written.steps).toBe(0)
  })

  it('once the folder can be written again, the loss is written before the next exchange', async () => {
    const later = join(dir, 'later')
    writeFileSync(later, '')
    const out = join(later, 'agent.rpk')
    const gateway = await startGateway({ out, upstreams: { openai: `${fake.url}/v1` } })
    expect((await chat(gateway, 'gpt-4o')).status).toBe(200)
    rmSync(later)
    mkdirSync(later)
    expect((await chat(gateway, 'gpt-4o')).status).toBe(200)
    await gateway.close()
    const steps = Object.values(readRpkFile(out)?.runs ?? {}).flatMap((run) => run.steps)
    expect(steps.map((step) => step.kind)).toEqual(['error.event', 'model.request', 'model.response'])
    const [loss] = steps
    expect(loss?.kind === 'error.event' && loss.message).toContain('an exchange was not recorded')
  })

  it('an adapter that throws on a body: the client is answered, the exchange kept raw, the fault an error.event', async () => {
    const unregister = registerAdapter({
      provider: 'broken',
      fields: { prompt: [], tools: [], toolCalls: [] },
      endpointFor: (method, path) => (method === 'POST' && path.endsWith('/broken/chat') ? 'chat' : undefined),
      summarizeRequest: () => {
        throw new Error('cannot read this request')
      },
      summarizeResponse: () => ({}),
      refusalBody: (_endpoint, message) => ({ error: { message } }),
      promptText: () => undefined,
    })
    const out = join(dir, 'adapter.rpk')
    const gateway = await startGateway({ out, upstreams: { openai: `${fake.url}/v1` } })
    try {
      const response = await fetch(`${gateway.url}/v1/broken/chat`, { method: 'POST', body: '{"model":"x"}' })
      expect(response.status).toBe(404)
      expect(await response.text()).toContain('no fake route')
      expect(gateway.status().degraded.join('\n')).toContain('the broken adapter failed to read the request')
    } finally {
      await gateway.close()
      unregister()
    }
    const steps = Object.values(readRpkFile(out)?.runs ?? {}).flatMap((run) => run.steps)
    expect(steps.map((step) => [step.seq, step.kind])).toEqual([
      [0, 'error.event'],
      [1, 'model.request'],
      [2, 'model.response'],
    ])
  })

  it('a body that is not what its content type says: forwarded as sent, recorded as text', async () => {
    const steps = await session(join(dir, 'unparsable.rpk'), async (gateway) => {
      const response = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"model": "gpt-4o", "messages": [',
      })
      expect(response.status).toBe(200)
      await response.text()
    })
    const request = steps.find((step) => step.kind === 'model.request')
    expect(request?.kind === 'model.request' && request.request.body).toEqual({
      text: '{"model": "gpt-4o", "messages": [',
    })
  })
})
