/**
 * Instructions that are items of the conversation are stored once too: the `developer` items
 * Codex CLI 0.169 opens its Responses `input` with (it sends no `instructions`), and Chat
 * Completions' `system` message. The list keeps its order; the session replays as recorded.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type FakeProvider, startFakeProvider } from '../../../../test/utils/fake-provider.js'
import { readRpkFile } from '../../src/artifact/read.js'
import { type Gateway, startGateway } from '../../src/public/gateway.js'

let dir: string
let fake: FakeProvider
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-gateway-items-'))
  fake = await startFakeProvider()
})
afterAll(async () => {
  await fake.close()
  rmSync(dir, { recursive: true, force: true })
})

const AGENT = `You are a coding agent running in a terminal. ${'Keep edits small and explain them. '.repeat(100)}`
const RULES = 'Keep edits small and explain them.'

/** One Codex-shaped turn: developer instructions as input[0], the user's text after. */
function codexTurn(gateway: Gateway, text: string): Promise<string> {
  return post(gateway, '/v1/responses', {
    model: 'gpt-5',
    input: [
      { type: 'message', id: 'msg_dev', role: 'developer', content: [{ type: 'input_text', text: AGENT }] },
      { type: 'message', id: `msg_${text}`, role: 'user', content: [{ type: 'input_text', text }] },
    ],
  })
}

function chatTurn(gateway: Gateway, text: string): Promise<string> {
  return post(gateway, '/v1/chat/completions', {
    model: 'gpt-fake',
    messages: [
      { role: 'system', content: AGENT },
      { role: 'user', content: text },
    ],
  })
}

function post(gateway: Gateway, path: string, body: unknown): Promise<string> {
  return fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-replaykit-session': 'agent' },
    body: JSON.stringify(body),
  }).then((response) => response.text())
}

it.each([
  { name: 'Codex developer input items', turn: codexTurn, list: 'input' },
  { name: 'chat system messages', turn: chatTurn, list: 'messages' },
])('stores $name once, and replays the session', async ({ name, turn, list }) => {
  const out = join(dir, `${name.replaceAll(' ', '-')}.rpk`)
  const live = await startGateway({ out, upstreams: { openai: `${fake.url}/v1` } })
  const answers: string[] = []
  for (let i = 0; i < 5; i++) answers.push(await turn(live, `turn ${i}`))
  expect(readFileSync(`${out}.journal`, 'utf8').split(RULES).length - 1).toBe(100)
  await live.close()

  const file = readRpkFile(out)
  expect(Object.keys(file?.blobs ?? {})).toHaveLength(1)
  const steps = Object.values(file?.runs ?? {})[0]?.steps ?? []
  for (const step of steps.filter((s) => s.kind === 'model.request')) {
    const json = step.kind === 'model.request' && step.request.body && 'json' in step.request.body
    const items = (json && (step.request.body as { json: Record<string, unknown[]> }).json[list]) || []
    expect(items[0]).toEqual({ blob: expect.stringMatching(/^sha256:/) })
    expect(items[1]).toMatchObject({ role: 'user' })
  }

  fake.reset()
  const replay = await startGateway({ replay: out })
  const replayed: string[] = []
  for (let i = 0; i < 5; i++) replayed.push(await turn(replay, `turn ${i}`))
  expect((await replay.close()).errors).toBe(0)
  expect(replayed.map((text) => JSON.parse(text))).toEqual(answers.map((text) => JSON.parse(text)))
  expect(fake.requests).toHaveLength(0)
})
