/**
 * The system prompt and tool list an agent resends every turn are stored once
 * by content hash: in the journal while the gateway runs, in the compacted
 * `.rpk` after; replay puts them back, so a session replays as recorded.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type FakeProvider, startFakeProvider } from '../../../../test/utils/fake-provider.js'
import { readRpkFile } from '../../src/artifact/read.js'
import { type Gateway, startGateway } from '../../src/public/gateway.js'
import { inlineBlobs } from '../../src/store/blobs.js'
import { JournalStore } from '../../src/store/journal-store.js'

let dir: string
let fake: FakeProvider
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-gateway-shared-'))
  fake = await startFakeProvider()
})
afterAll(async () => {
  await fake.close()
  rmSync(dir, { recursive: true, force: true })
})

const SYSTEM = `You are a careful coding agent. ${'Follow the repository rules exactly. '.repeat(120)}`
const TOOLS = Array.from({ length: 12 }, (_, i) => ({
  name: `tool_${i}`,
  description: `Tool number ${i}: does a thing to the workspace and reports what it did.`,
  input_schema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
}))

function turn(gateway: Gateway, text: string): Promise<string> {
  return fetch(`${gateway.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-replaykit-session': 'agent' },
    body: JSON.stringify({
      model: 'claude-test',
      max_tokens: 64,
      system: SYSTEM,
      tools: TOOLS,
      messages: [{ role: 'user', content: text }],
    }),
  }).then((response) => response.text())
}

it('stores the repeated system prompt and tools once, and replays the session', async () => {
  const out = join(dir, 'agent.rpk')
  const live = await startGateway({ out, upstreams: { anthropic: fake.url } })
  const answers: string[] = []
  for (let i = 0; i < 6; i++) answers.push(await turn(live, `turn ${i}`))

  // While running (what kill -9 leaves): the journal holds each part once and reads back whole.
  const journal = readFileSync(`${out}.journal`, 'utf8')
  expect(journal.split('Follow the repository rules exactly.').length - 1).toBe(120)
  const running = new JournalStore(out, { onWarning: () => {} }).read()
  expect(Object.keys(running?.blobs ?? {})).toHaveLength(2)
  await live.close()

  const file = readRpkFile(out)
  expect(Object.keys(file?.blobs ?? {})).toHaveLength(2)
  const run = Object.values(file?.runs ?? {})[0]
  const requests = (run?.steps ?? []).filter((step) => step.kind === 'model.request')
  expect(requests).toHaveLength(6)
  for (const step of requests) {
    const body = step.kind === 'model.request' ? step.request.body : undefined
    expect(body && 'json' in body && (body.json as { system: unknown }).system).toEqual({
      blob: expect.stringMatching(/^sha256:/),
    })
  }
  // Read back whole.
  const inlined = inlineBlobs(run as NonNullable<typeof run>, file?.blobs)
  const first = inlined.steps.find((step) => step.kind === 'model.request')
  expect(first?.kind === 'model.request' && first.request.body).toMatchObject({
    json: { system: SYSTEM, tools: TOOLS },
  })

  fake.reset()
  const replay = await startGateway({ replay: out })
  const replayed: string[] = []
  for (let i = 0; i < 6; i++) replayed.push(await turn(replay, `turn ${i}`))
  expect((await replay.close()).errors).toBe(0)
  expect(replayed.map((text) => JSON.parse(text))).toEqual(answers.map((text) => JSON.parse(text)))
  expect(fake.requests).toHaveLength(0)
})

it('redacts the shared parts before they reach the journal', () => {
  const out = join(dir, 'secret.rpk')
  const store = new JournalStore(out, { onWarning: () => {} })
  const hash = `sha256:${'a'.repeat(64)}`
  store.append(
    'listen s 1',
    [
      {
        seq: 0,
        correlationId: 'x1',
        kind: 'http.request',
        request: {
          method: 'POST',
          url: 'https://example.test/',
          headers: {},
          body: { json: { system: { blob: hash } } },
        },
      },
    ],
    { [hash]: { json: 'the key is sk-proj-CANARYcanary0123456789abcdefXYZ' } },
  )
  expect(readFileSync(`${out}.journal`, 'utf8')).not.toContain('CANARY')
  expect(store.read()?.blobs?.[hash]).toBeDefined()
})
