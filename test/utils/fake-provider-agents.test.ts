/**
 * The real coding agents, Codex CLI and Claude Code, finish a scripted task offline against the
 * fake provider: the model asks for one shell command, the agent runs it, the model answers.
 * This is what the gateway's agent tests (test/e2e/gateway-agents.test.ts) stand on.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { AGENT_ANSWER, codexRouteArgs, FAKE_AGENT_KEY, runAgent } from './coding-agents.js'
import { type FakeProvider, startFakeProvider } from './fake-provider.js'

let fake: FakeProvider
beforeAll(async () => {
  fake = await startFakeProvider({ apiKeys: [FAKE_AGENT_KEY] })
})
afterAll(() => fake.close())

describe('the fake provider serves the coding agents', () => {
  test('codex exec --json runs the scripted shell call and finishes with the answer', async () => {
    fake.reset()
    const run = await runAgent('codex', { codexArgs: codexRouteArgs(`${fake.url}/v1`) })
    expect(run.code, run.stderr).toBe(0)
    const command = run.events
      .map((event) => event.item as Record<string, unknown> | undefined)
      .find((item) => item?.type === 'command_execution' && item.status === 'completed')
    expect(command).toMatchObject({ aggregated_output: 'replaykit-tool-ok\n', exit_code: 0 })
    expect(run.answer).toBe(AGENT_ANSWER)
    expect(run.events.at(-1)?.type).toBe('turn.completed')
    const calls = fake.requests.filter((r) => r.method === 'POST')
    expect(calls.map((r) => r.path)).toEqual(['/v1/responses', '/v1/responses'])
    expect(calls.every((r) => (r.body as { stream?: boolean }).stream === true)).toBe(true)
    expect(calls.every((r) => r.headers.authorization === `Bearer ${FAKE_AGENT_KEY}`)).toBe(true)
  })

  test('claude -p --output-format stream-json runs the scripted Bash call and finishes with the answer', async () => {
    fake.reset()
    const run = await runAgent('claude', { anthropicBaseUrl: fake.url })
    expect(run.code, run.stderr).toBe(0)
    const toolUse = run.events
      .filter((event) => event.type === 'assistant')
      .flatMap((event) => (event.message as { content: Record<string, unknown>[] }).content)
      .find((block) => block.type === 'tool_use')
    expect(toolUse).toMatchObject({ name: 'Bash', input: { command: 'echo replaykit-tool-ok' } })
    expect(run.events.at(-1)).toMatchObject({ type: 'result', subtype: 'success', is_error: false })
    expect(run.answer).toBe(AGENT_ANSWER)
    const posts = fake.requests.filter((r) => r.method === 'POST').map((r) => r.path)
    expect(posts).toEqual(['/v1/messages?beta=true', '/v1/messages?beta=true'])
    expect(fake.requests.every((r) => r.method === 'HEAD' || r.headers['x-api-key'] === FAKE_AGENT_KEY)).toBe(true)
  })

  test('a key the fake does not know gets the provider-shaped 401', async () => {
    const openai = await fetch(`${fake.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-someone-else', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5', input: 'hi' }),
    })
    expect(openai.status).toBe(401)
    expect(await openai.json()).toMatchObject({ error: { code: 'invalid_api_key' } })
    const anthropic = await fetch(`${fake.url}/v1/messages`, { method: 'POST', body: '{}' })
    expect(anthropic.status).toBe(401)
    expect(await anthropic.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } })
  })

  test("Codex's /models?client_version=… gets Codex's {models:[…]} body, other clients the OpenAI list", async () => {
    const auth = { authorization: `Bearer ${FAKE_AGENT_KEY}` }
    const codex = await (await fetch(`${fake.url}/v1/models?client_version=0.169.0`, { headers: auth })).json()
    expect(codex.models.map((model: { slug: string }) => model.slug)).toContain('gpt-5')
    const openai = await (await fetch(`${fake.url}/v1/models`, { headers: auth })).json()
    expect(openai).toMatchObject({ object: 'list' })
    const head = await fetch(`${fake.url}/`, { method: 'HEAD' })
    expect(head.status).toBe(200)
  })
})
