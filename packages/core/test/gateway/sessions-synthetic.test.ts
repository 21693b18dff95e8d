/**
 * Runs per client session, replayed per session in recorded order (agents
 * send new session ids on every run), the volatile agent fields ignored;
 * synthetic answers only by opt-in, marked, and refusable; rotation and
 * retention; a restarted listener appends beside what the killed one wrote.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeProvider, startFakeProvider } from '../../../../test/utils/fake-provider.js'
import { readRpkFile } from '../../src/artifact/read.js'
import { type Gateway, pruneRotated, rotatedFiles, startGateway } from '../../src/public/gateway.js'

let dir: string
let fake: FakeProvider
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-gateway-sessions-'))
  fake = await startFakeProvider({ freshIds: true })
})
afterAll(async () => {
  await fake.close()
  rmSync(dir, { recursive: true, force: true })
})

const upstreams = (): { openai: string; anthropic: string } => ({ openai: `${fake.url}/v1`, anthropic: fake.url })

/** A Claude Code-like request: its session header and `metadata.user_id` change on every run. */
function claude(gateway: Gateway, session: string, text: string): Promise<Response> {
  return fetch(`${gateway.url}/v1/messages?beta=true`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'anthropic-version': '2023-06-01',
      'x-api-key': 'sk-ant-api03-CANARYcanary0123456789abcdefXYZ',
      'x-claude-code-session-id': session,
    },
    body: JSON.stringify({
      model: 'claude-test',
      max_tokens: 32,
      metadata: { user_id: JSON.stringify({ session_id: session }) },
      messages: [{ role: 'user', content: text }],
    }),
  })
}

/** A Codex-like request: `prompt_cache_key`, `client_metadata` and input ids change on every run. */
function codex(gateway: Gateway, thread: string, text: string): Promise<Response> {
  return fetch(`${gateway.url}/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test-0123456789abcdefghijkl' },
    body: JSON.stringify({
      model: 'gpt-5',
      stream: true,
      store: false,
      prompt_cache_key: thread,
      client_metadata: { turn_started_at_unix_ms: String(Date.now()) },
      input: [{ type: 'message', id: `msg_${thread}`, role: 'user', content: [{ type: 'input_text', text }] }],
    }),
  })
}

/** A JSON body, or an SSE stream as its lines with each `data:` parsed. */
function parsed(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text.split('\n').map((line) => (line.startsWith('data: {') ? JSON.parse(line.slice(6)) : line))
  }
}

describe('sessions', () => {
  it('one run per client session; a replay with new session ids answers each in recorded order', async () => {
    const out = join(dir, 'agents.rpk')
    const live = await startGateway({ out, upstreams: upstreams() })
    const recorded = [
      await (await claude(live, 'cc-1', 'first')).text(),
      await (await codex(live, 'thread-1', 'build it')).text(),
      await (await claude(live, 'cc-1', 'second')).text(),
    ]
    await live.close()
    expect(Object.keys(readRpkFile(out)?.runs ?? {}).sort()).toEqual(['listen cc-1 1', 'listen thread-1 1'])

    fake.reset()
    const replay = await startGateway({ replay: out })
    const replayed = [
      await (await claude(replay, 'cc-2', 'first')).text(),
      await (await codex(replay, 'thread-2', 'build it')).text(),
      await (await claude(replay, 'cc-2', 'second')).text(),
    ]
    const summary = await replay.close()
    expect(summary.errors).toBe(0)
    // The same answers (the artifact keeps JSON in canonical key order: compared parsed).
    expect(replayed.map(parsed)).toEqual(recorded.map(parsed))
    expect(fake.requests).toHaveLength(0)
  })

  it('a restarted listener keeps what was written and adds its sessions as new runs', async () => {
    const out = join(dir, 'restart.rpk')
    const first = await startGateway({ out, upstreams: upstreams() })
    await (await claude(first, 'cc', 'one')).text()
    await first.close()
    const second = await startGateway({ out, upstreams: upstreams() })
    await (await claude(second, 'cc', 'two')).text()
    await second.close()
    expect(Object.keys(readRpkFile(out)?.runs ?? {}).sort()).toEqual(['listen cc 1', 'listen cc 2'])
  })
})

describe('synthetic answers', () => {
  it('only with the option; marked in the answer, the status and the artifact', async () => {
    const out = join(dir, 'synthetic.rpk')
    fake.reset()
    const gateway = await startGateway({ synthetic: true, out })
    const response = await claude(gateway, 's', 'hello')
    expect(response.headers.get('x-replaykit-synthetic')).toBe('true')
    const message = (await response.json()) as { content: { text: string }[] }
    expect(message.content[0]?.text).toContain('synthetic')
    expect(gateway.status()).toMatchObject({ mode: 'synthetic', synthetic: 1 })
    await gateway.close()
    expect(fake.requests).toHaveLength(0)
    const steps = Object.values(readRpkFile(out)?.runs ?? {}).flatMap((run) => run.steps)
    const answer = steps.find((step) => step.kind === 'model.response')
    expect(answer?.kind === 'model.response' && answer.response.headers['x-replaykit-synthetic']).toBe('true')
  })

  it('failOnSynthetic refuses with a provider-shaped error', async () => {
    const gateway = await startGateway({ synthetic: true, failOnSynthetic: true })
    const response = await claude(gateway, 's', 'hello')
    expect(response.status).toBe(400)
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('refused')
    expect((await gateway.close()).synthetic).toBe(0)
  })
})

describe('rotation and retention', () => {
  it('rolls to numbered files past maxSize and keeps the newest `keep`', async () => {
    const rotated = join(dir, 'rotated')
    const out = join(rotated, 'long.rpk')
    const gateway = await startGateway({ out, upstreams: upstreams(), maxSize: 1500, keep: 2 })
    for (let i = 0; i < 6; i++) await (await claude(gateway, 'cc', `turn ${i}`)).text()
    await gateway.close()
    const files = readdirSync(rotated)
      .filter((name) => name.endsWith('.rpk'))
      .sort()
    expect(files).toHaveLength(3)
    expect(files).toContain('long.rpk')
    const numbered = files.filter((name) => name !== 'long.rpk')
    for (const name of numbered) expect(name).toMatch(/^long\.\d+\.rpk$/)
    // Each file loads on its own.
    for (const name of numbered) expect(Object.keys(readRpkFile(join(rotated, name))?.runs ?? {})).toHaveLength(1)
  })

  it('rolls by age too; pruneRotated keeps the newest files', async () => {
    const aged = join(dir, 'aged')
    const out = join(aged, 'day.rpk')
    const gateway = await startGateway({ out, upstreams: upstreams(), maxAge: 1 })
    for (let i = 0; i < 3; i++) {
      await (await claude(gateway, 'cc', `turn ${i}`)).text()
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    await gateway.close()
    expect(rotatedFiles(out).map((entry) => entry.n)).toEqual([1, 2])
    expect(pruneRotated(out, 1)).toEqual([join(aged, 'day.1.rpk')])
    expect(readdirSync(aged).sort()).toEqual(['day.2.rpk', 'day.rpk'])
  })
})
