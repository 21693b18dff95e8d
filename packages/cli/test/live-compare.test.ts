/**
 * `replaykit replay --mode live-compare`: the program runs live against a provider that hands
 * out fresh ids and times on every call (the fake's `freshIds`), with a uuid and the date in its
 * prompt and a tool loop. It compares as `toMatchReplay` does (compareLiveRun): an unchanged
 * provider matches (exit 0), a drifted one reports the changed answer text (exit 1).
 */
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest'
import { type FakeProvider, startFakeProvider } from '../../../test/utils/fake-provider.js'
import { cliAsync, ensureBuilt, NODE, tempDir } from './helpers.js'

let fake: FakeProvider
let dir: string
const APP = `
import OpenAI from ${JSON.stringify(import.meta.resolve('openai'))}
const openai = new OpenAI({ baseURL: process.env.BASE + '/v1', apiKey: 'sk-proj-abcdefghijklmnopqrstuvwx', maxRetries: 0 })
const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }]
const messages = [{ role: 'user', content: 'weather in Oslo? (' + crypto.randomUUID() + ' at ' + new Date().toISOString() + ')' }]
for (let turn = 0; turn < 3; turn++) {
  const message = (await openai.chat.completions.create({ model: 'gpt-fake', messages, tools })).choices[0].message
  messages.push(message)
  if (!message.tool_calls?.length) { console.log('answer:', message.content); break }
  for (const call of message.tool_calls) messages.push({ role: 'tool', tool_call_id: call.id, content: '12C' })
}
`

beforeAll(async () => {
  await ensureBuilt()
  fake = await startFakeProvider({ freshIds: true })
  dir = tempDir()
  writeFileSync(join(dir, 'app.mjs'), APP)
})
afterAll(async () => {
  await fake.close()
  rmSync(dir, { recursive: true, force: true })
})
beforeEach(() => {
  fake.reset()
  fake.setReply(undefined)
})

const run = (args: string[]) => cliAsync(args, dir, { BASE: fake.url })

test('live-compare matches an unchanged provider and reports a drifted answer by its text', async () => {
  const recorded = await run(['record', '-o', 'app.rpk', '--', NODE, 'app.mjs'])
  expect(recorded.code, recorded.stderr).toBe(0)
  expect(fake.requests).toHaveLength(2)

  fake.reset()
  const same = await run(['replay', 'app.rpk', '--mode', 'live-compare', '--no-color', '--', NODE, 'app.mjs'])
  expect(fake.requests).toHaveLength(2) // live
  expect(same.stderr).toContain('replaykit: the run matched app.rpk (live-compare, 6 steps).')
  expect(same.code).toBe(0)

  fake.setReply((turn) => (turn.hasToolResult ? { type: 'text', text: 'It is sunny.' } : undefined))
  const drifted = await run([
    'replay',
    'app.rpk',
    '--mode',
    'live-compare',
    '--no-color',
    '--json',
    '--',
    NODE,
    'app.mjs',
  ])
  expect(drifted.stdout).toContain('answer: It is sunny.')
  expect(drifted.code).toBe(1)
  const report = JSON.parse(drifted.stderr.slice(drifted.stderr.lastIndexOf('\n{') + 1))
  expect(report).toMatchObject({ command: 'replay', mode: 'live-compare', equal: false })
  expect(JSON.stringify(report.divergence)).toContain('"path":"$.text"')

  // --ignore-response-path (repeatable) leaves the changed answer out: the run matches again.
  const ignored = await run([
    'replay',
    'app.rpk',
    '--mode',
    'live-compare',
    '--ignore-response-path',
    '$.text',
    '--ignore-response-path',
    '$.choices[*].message.content',
    '--ignore-response-path=$.usage',
    '--',
    NODE,
    'app.mjs',
  ])
  expect(ignored.stderr).toContain('replaykit: the run matched app.rpk (live-compare, 6 steps).')
  expect(ignored.code).toBe(0)
})

test('--ignore-response-path is checked before the program runs', async () => {
  const bad = await run([
    'replay',
    'x.rpk',
    '--mode',
    'live-compare',
    '--ignore-response-path',
    '$.usage[',
    '--',
    NODE,
    'app.mjs',
  ])
  expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('"$.usage["')])
  const strict = await run(['replay', 'x.rpk', '--ignore-response-path', '$.usage', '--', NODE, 'app.mjs'])
  expect([strict.code, strict.stderr]).toEqual([2, expect.stringContaining('applies to --mode live-compare only')])
  expect(fake.requests).toHaveLength(0)
})
