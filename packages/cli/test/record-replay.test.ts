/**
 * `replaykit record -- <program>` and `replaykit replay FILE -- <program>`: a real Node program
 * (spawned through the built binary) calls a loopback server and the OpenAI SDK against the fake
 * provider; the replay answers it with the server unreachable in strict mode.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { type FakeProvider, startFakeProvider } from '../../../test/utils/fake-provider.js'
import { cliAsync, ensureBuilt, NODE, tempDir } from './helpers.js'

let fake: FakeProvider
let dir: string
const APP = `
import OpenAI from ${JSON.stringify(import.meta.resolve('openai'))}
const openai = new OpenAI({ baseURL: process.env.BASE + '/v1', apiKey: 'sk-proj-abcdefghijklmnopqrstuvwx', maxRetries: 0 })
const question = process.argv[2] ?? 'weather in Oslo?'
const answer = await openai.chat.completions.create({ model: 'gpt-fake', messages: [{ role: 'user', content: question }] })
const weather = await (await fetch(process.env.BASE + '/weather?city=Oslo')).json()
console.log('answer:', answer.choices[0].message.content)
console.log('weather:', JSON.stringify(weather))
process.exitCode = Number(process.env.APP_EXIT ?? 0)
`

beforeAll(async () => {
  await ensureBuilt()
  fake = await startFakeProvider()
  dir = tempDir()
  writeFileSync(join(dir, 'app.mjs'), APP)
})
afterAll(async () => {
  await fake.close()
  rmSync(dir, { recursive: true, force: true })
})
beforeEach(() => fake.reset())

const run = (args: string[], env: Record<string, string> = {}) => cliAsync(args, dir, { BASE: fake.url, ...env })

describe('record and replay a program', () => {
  test('records the program, passes its output and exit code through, and replays it offline', async () => {
    const recorded = await run(['record', '-o', 'app.rpk', '--', NODE, 'app.mjs'])
    expect(recorded.stderr).toContain('replaykit: recorded 4 steps as run "record 1" in app.rpk.')
    expect(recorded.code).toBe(0)
    expect(recorded.stdout).toMatch(/^answer: echo: weather in Oslo\?\nweather: \{.*"city":"Oslo".*\}\n$/)
    expect(fake.requests).toHaveLength(2)
    const file = readFileSync(join(dir, 'app.rpk'), 'utf8')
    expect(file).not.toContain('abcdefghijklmnopqrstuvwx')
    expect(JSON.parse(file).runs['record 1'].steps.map((s: { kind: string }) => s.kind)).toEqual([
      'model.request',
      'model.response',
      'http.request',
      'http.response',
    ])

    fake.reset()
    const replayed = await run(['replay', 'app.rpk', '--', NODE, 'app.mjs'])
    expect(fake.requests).toHaveLength(0)
    expect(replayed.code).toBe(0)
    // Same output; JSON bodies come back with their keys in canonical (sorted) order.
    const lines = (out: string) =>
      out
        .trim()
        .split('\n')
        .map((line) =>
          line.replace(/^weather: (.*)$/, (_m, json) => JSON.stringify(Object.entries(JSON.parse(json)).sort())),
        )
    expect(lines(replayed.stdout)).toEqual(lines(recorded.stdout))
    expect(replayed.stderr).toContain('replaykit: the run matched app.rpk (strict, 4 steps).')
  })

  test("the program's own exit code passes through", async () => {
    await run(['record', '-o', 'exit.rpk', '--', NODE, 'app.mjs'])
    const replayed = await run(['replay', 'exit.rpk', '--', NODE, 'app.mjs'], { APP_EXIT: '3' })
    expect(replayed.code).toBe(3)
  })

  test('a changed prompt is refused without network and reported as the first divergence, exit 1', async () => {
    await run(['record', '-o', 'prompt.rpk', '--', NODE, 'app.mjs'])
    fake.reset()
    const replayed = await run(['replay', 'prompt.rpk', '--no-color', '--', NODE, 'app.mjs', 'weather in Bergen?'])
    expect(fake.requests).toHaveLength(0)
    expect(replayed.code).toBe(1)
    expect(replayed.stderr).toContain('[ReplayKit] strict replay: no recorded response matches POST')
    expect(replayed.stderr).toContain('First divergence at step 1')
    expect(replayed.stderr).toContain('"weather in Oslo?" → "weather in Bergen?"')
    // ReplayKit's own note names the command that re-records this program, not the test runner's.
    const note = replayed.stderr.split('\n').find((line) => line.startsWith('replaykit: [ReplayKit] strict replay'))
    expect(note).toContain(
      `Re-record with \`replaykit record -o prompt.rpk --name record -- ${NODE} app.mjs 'weather in Bergen?'\``,
    )
    expect(note).not.toContain('replaykit test')
    // So does the error the program itself got from its SDK.
    const programLines = replayed.stderr.split('\n').filter((line) => !line.startsWith('replaykit:'))
    expect(programLines.join('\n')).toContain('replaykit record -o prompt.rpk --name record --')
    expect(programLines.join('\n')).not.toContain('replaykit test')
  })

  test('--json puts the result on stderr, leaving stdout to the program', async () => {
    const recorded = await run(['record', '--json', '-o', 'json.rpk', '--', NODE, 'app.mjs'])
    expect(recorded.stdout).toMatch(/^answer: /)
    expect(JSON.parse(recorded.stderr)).toMatchObject({
      command: 'record',
      ok: true,
      exitCode: 0,
      steps: 4,
      file: 'json.rpk',
    })
    const replayed = await run(['replay', '--json', 'json.rpk', '--', NODE, 'app.mjs'])
    expect(JSON.parse(replayed.stderr)).toMatchObject({ command: 'replay', ok: true, exitCode: 0, equal: true })
    const diverged = await run(['replay', '--json', 'json.rpk', '--', NODE, 'app.mjs', 'weather in Bergen?'])
    expect(diverged.code).toBe(1)
    // The program's own error comes first on stderr; the JSON object is the last thing printed.
    const json = diverged.stderr.slice(diverged.stderr.search(/^\{\n {2}"command"/m))
    expect(JSON.parse(json)).toMatchObject({ command: 'replay', ok: false, exitCode: 1, equal: false })
  })

  test('bad input: no program, no output file, unknown mode, a program that cannot start', async () => {
    expect((await run(['record', '-o', 'x.rpk'])).stderr).toContain('no program to run after `--`')
    const noOutput = await run(['record', '--', NODE, 'app.mjs'])
    expect([noOutput.code, noOutput.stderr]).toEqual([2, expect.stringContaining('record needs the file to write')])
    await run(['record', '-o', 'mode.rpk', '--', NODE, 'app.mjs'])
    const mode = await run(['replay', 'mode.rpk', '--mode', 'sometimes', '--', NODE, 'app.mjs'])
    expect([mode.code, mode.stderr]).toEqual([
      2,
      expect.stringContaining('--mode must be strict, hybrid or live-compare'),
    ])
    const missing = await run(['record', '-o', 'y.rpk', '--', 'no-such-program-rpk'])
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('Failed to start the program')])
  })
})
