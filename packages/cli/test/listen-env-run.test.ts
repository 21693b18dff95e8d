/**
 * `replaykit listen env` (exports for each shell and JSON) and `replaykit
 * listen run -- <command>`: a Node script with plain fetch reaches the fake
 * provider through the env the listener sets, and its exit code comes back.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { type FakeProvider, startFakeProvider } from '../../../test/utils/fake-provider.js'
import { cliAsync, ensureBuilt, NODE, tempDir } from './helpers.js'
import { killListener, listen, listenJson } from './listen-helpers.js'

let fake: FakeProvider
let dir: string

/** A client in "any language": plain fetch, routed only by OPENAI_BASE_URL and ANTHROPIC_BASE_URL. */
const SCRIPT = `
const chat = await fetch(process.env.OPENAI_BASE_URL + '/chat/completions', {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
  body: JSON.stringify({ model: 'gpt-fake', messages: [{ role: 'user', content: 'hello gateway' }] }),
})
const message = await fetch(process.env.ANTHROPIC_BASE_URL + '/v1/messages', {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-api-key': 'test', 'anthropic-version': '2023-06-01' },
  body: JSON.stringify({ model: 'claude-fake', max_tokens: 50, messages: [{ role: 'user', content: 'hello claude' }] }),
})
console.log('openai:', (await chat.json()).choices[0].message.content)
console.log('anthropic:', (await message.json()).content[0].text)
process.exitCode = Number(process.env.APP_EXIT ?? 0)
`

beforeAll(async () => {
  await ensureBuilt()
  fake = await startFakeProvider()
})
afterAll(async () => {
  await fake.close()
})
afterEach(() => {
  killListener(join(dir, '.replaykit'))
  rmSync(dir, { recursive: true, force: true })
  fake.reset()
})

const upstreams = () => ['--upstream', `openai=${fake.url}/v1`, '--upstream', `anthropic=${fake.url}`]

describe('listen env', () => {
  test('prints exports for sh, fish and PowerShell, and JSON with url, env and codexArgs', async () => {
    dir = tempDir()
    const started = await listenJson(['start'], dir)
    const url = started.json.url as string
    const json = await listenJson(['env'], dir)
    expect(json.code).toBe(0)
    expect(json.json).toMatchObject({
      command: 'listen env',
      ok: true,
      url,
      env: { OPENAI_BASE_URL: `${url}/v1`, ANTHROPIC_BASE_URL: url, GOOGLE_GEMINI_BASE_URL: url },
      exitCode: 0,
    })
    const codexArgs = json.json.codexArgs as string[]
    expect(codexArgs.filter((arg) => arg === '-c').length).toBeGreaterThan(0)
    expect(codexArgs.join(' ')).toContain(`${url}/v1`)

    const sh = await listen(['env'], dir)
    expect(sh.code).toBe(0)
    expect(sh.stdout.split('\n').slice(0, 3)).toEqual([
      `export OPENAI_BASE_URL=${url}/v1`,
      `export ANTHROPIC_BASE_URL=${url}`,
      `export GOOGLE_GEMINI_BASE_URL=${url}`,
    ])
    expect(sh.stdout).toMatch(/\n# Codex CLI ignores OPENAI_BASE_URL; route it with: codex -c .*\n$/)
    // --quiet does not hide the exports: they are the output.
    expect((await listen(['env', '--quiet'], dir)).stdout).toBe(sh.stdout)
    // What sh prints really sets the variables in a shell (the Codex line is a comment).
    const evaluated = await new Promise<string>((resolve) => {
      import('node:child_process').then(({ execFile }) =>
        execFile(
          'sh',
          ['-c', `${sh.stdout}\necho "$OPENAI_BASE_URL|$ANTHROPIC_BASE_URL|$GOOGLE_GEMINI_BASE_URL"`],
          (_e, out) => resolve(out),
        ),
      )
    })
    expect(evaluated).toBe(`${url}/v1|${url}|${url}\n`)

    const fish = await listen(['env', '--shell', 'fish'], dir)
    expect(fish.stdout.split('\n').slice(0, 3)).toEqual([
      `set -gx OPENAI_BASE_URL ${url}/v1`,
      `set -gx ANTHROPIC_BASE_URL ${url}`,
      `set -gx GOOGLE_GEMINI_BASE_URL ${url}`,
    ])
    const powershell = await listen(['env', '--shell', 'powershell'], dir)
    expect(powershell.stdout.split('\n').slice(0, 3)).toEqual([
      `$env:OPENAI_BASE_URL = '${url}/v1'`,
      `$env:ANTHROPIC_BASE_URL = '${url}'`,
      `$env:GOOGLE_GEMINI_BASE_URL = '${url}'`,
    ])
    expect(powershell.stdout).toMatch(/# Codex CLI .* codex '-c' 'model_provider=/)
    await listen(['stop'], dir)
  })

  test('with no listener running: exit 2 with how to start one', async () => {
    dir = tempDir()
    const result = await listen(['env'], dir)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('Failed to print the environment: no listener runs')
    expect(result.stderr).toContain('replaykit listen start')
  })
})

describe('listen run', () => {
  test('starts a listener, runs the command with the env, stops, and passes the exit code through', async () => {
    dir = tempDir()
    writeFileSync(join(dir, 'client.mjs'), SCRIPT)
    const result = await listen(['run', '--out', 'run.rpk', ...upstreams(), '--', NODE, 'client.mjs'], dir, {
      APP_EXIT: '3',
    })
    expect(result.code, result.stderr).toBe(3)
    expect(result.stdout).toBe('openai: echo: hello gateway\nanthropic: echo: hello claude\n')
    expect(result.stderr).toMatch(/^replaykit: listening on http:\/\/127\.0\.0\.1:\d+ \(live\); running /)
    expect(result.stderr).toContain('replaykit: stopped the listener')
    expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /v1/chat/completions',
      'POST /v1/messages',
    ])
    expect((await listenJson(['status'], dir)).json).toMatchObject({ running: false, staleCleaned: false })

    const ok = await listen(['run', '--out', 'run.rpk', ...upstreams(), '--', NODE, 'client.mjs'], dir)
    expect(ok.code).toBe(0)
  })

  test('--json goes to stderr (stdout is the command’s) with the summary and the program exit code', async () => {
    dir = tempDir()
    writeFileSync(join(dir, 'client.mjs'), SCRIPT)
    const { code, json, result } = await listenJson(['run', ...upstreams(), '--', NODE, 'client.mjs'], dir, {
      APP_EXIT: '5',
    })
    expect(code).toBe(5)
    expect(result.stdout).toBe('openai: echo: hello gateway\nanthropic: echo: hello claude\n')
    expect(json).toMatchObject({ command: 'listen run', stopped: true, programExitCode: 5, exitCode: 5, mode: 'live' })
    expect(json.requests).toBe(2)
  })

  test('a command that does not exist: exit 2, and the listener is stopped', async () => {
    dir = tempDir()
    const result = await listen(['run', '--', 'replaykit-no-such-command'], dir)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('Failed to start the command')
    expect((await listenJson(['status'], dir)).json.running).toBe(false)
  })

  test('with no command after --: exit 2 before anything starts', async () => {
    dir = tempDir()
    const result = await listen(['run', '--port', '0'], dir)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('no command to run after `--`')
    expect((await listenJson(['status'], dir)).json.running).toBe(false)
  })

  test('while a listener already runs: exit 2, and the running one is left alone', async () => {
    dir = tempDir()
    const started = await listenJson(['start'], dir)
    const result = await listen(['run', '--', NODE, '-e', '0'], dir)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(`a listener already runs on ${started.json.url}`)
    expect((await listenJson(['status'], dir)).json).toMatchObject({ running: true, pid: started.json.pid })
    await listen(['stop'], dir)
  })

  test('records a session live, then replays it strictly with zero upstream requests and the same output', async () => {
    dir = tempDir()
    writeFileSync(join(dir, 'client.mjs'), SCRIPT)
    const live = await listenJson(['run', '--out', 'session.rpk', ...upstreams(), '--', NODE, 'client.mjs'], dir)
    expect(live.code, live.result.stderr).toBe(0)
    expect(live.json.written).toMatchObject({ file: join(dir, 'session.rpk'), runs: expect.any(Number) })
    expect((live.json.written as { steps: number }).steps).toBeGreaterThanOrEqual(4)
    expect(readFileSync(join(dir, 'session.rpk'), 'utf8')).not.toContain('sk-test')
    expect(fake.requests).toHaveLength(2)
    fake.reset()

    const replayed = await listenJson(['run', '--replay', 'session.rpk', '--', NODE, 'client.mjs'], dir)
    expect(replayed.code, replayed.result.stderr).toBe(0)
    expect(replayed.result.stdout).toBe(live.result.stdout)
    expect(replayed.json).toMatchObject({ mode: 'replay-strict', replay: join(dir, 'session.rpk'), requests: 2 })
    expect(fake.requests).toHaveLength(0)

    // The artifact is a .rpk like any other: `replaykit inspect` reads it.
    const inspected = await cliAsync(['inspect', 'session.rpk'], dir)
    expect(inspected.code, inspected.stderr).toBe(0)
  })

  test('--synthetic answers with no upstream, marked in the JSON; --fail-on-synthetic refuses them and the client fails', async () => {
    dir = tempDir()
    writeFileSync(join(dir, 'client.mjs'), SCRIPT)
    const synthetic = await listenJson(['run', '--synthetic', '--', NODE, 'client.mjs'], dir)
    expect(synthetic.code, synthetic.result.stderr).toBe(0)
    expect(synthetic.result.stdout).toContain('ReplayKit synthetic answer')
    expect(synthetic.json).toMatchObject({ mode: 'synthetic', synthetic: 2, errors: 0 })
    expect(fake.requests).toHaveLength(0)

    const refused = await listenJson(['run', '--synthetic', '--fail-on-synthetic', '--', NODE, 'client.mjs'], dir)
    expect(refused.code).not.toBe(0)
    expect(refused.json).toMatchObject({ mode: 'synthetic', synthetic: 0, errors: 2, syntheticRefused: 2 })
    expect(fake.requests).toHaveLength(0)
  })

  test('--fail-on-synthetic fails the session even when the command ignores the refusals', async () => {
    dir = tempDir()
    // A client that swallows the errors and exits 0: the refusal must still fail the run.
    writeFileSync(
      join(dir, 'lenient.mjs'),
      `const res = await fetch(process.env.OPENAI_BASE_URL + '/chat/completions', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'gpt-fake', messages: [{ role: 'user', content: 'hi' }] }),
})
console.log('status', res.status)
`,
    )
    const refused = await listenJson(['run', '--synthetic', '--fail-on-synthetic', '--', NODE, 'lenient.mjs'], dir)
    expect(refused.result.stdout).toContain('status 400')
    expect(refused.code).toBe(1)
    expect(refused.json).toMatchObject({ ok: false, programExitCode: 0, syntheticRefused: 1 })
    const told = await listen(['run', '--synthetic', '--fail-on-synthetic', '--', NODE, 'lenient.mjs'], dir)
    expect(told.code).toBe(1)
    expect(told.stderr).toContain('refused 1 synthetic answer (--fail-on-synthetic)')

    const allowed = await listenJson(['run', '--synthetic', '--', NODE, 'lenient.mjs'], dir)
    expect(allowed.code, allowed.result.stderr).toBe(0)
    expect(allowed.json).toMatchObject({ ok: true, syntheticRefused: 0, synthetic: 1 })
  })

  test('a listener that dies while the command runs: said on stderr, exit 1 even when the command succeeded', async () => {
    dir = tempDir()
    // The command kills the listener (as an OOM killer or a crash would) and exits 0.
    writeFileSync(
      join(dir, 'kill.mjs'),
      `import { readFileSync } from 'node:fs'
const pid = Number(readFileSync('.replaykit/listen.pid', 'utf8'))
process.kill(pid, 'SIGKILL')
while (true) { try { process.kill(pid, 0) } catch { break } await new Promise((r) => setTimeout(r, 20)) }
`,
    )
    const { code, json, result } = await listenJson(['run', '--out', 'died.rpk', '--', NODE, 'kill.mjs'], dir)
    expect(code).toBe(1)
    expect(json).toMatchObject({ command: 'listen run', ok: false, listenerDied: true, programExitCode: 0 })
    const text = await listen(['run', '--out', 'died.rpk', '--', NODE, 'kill.mjs'], dir)
    expect(text.code).toBe(1)
    expect(text.stderr).toContain('ended before the command did')
    expect(result.stdout).toBe('')
  })
})
