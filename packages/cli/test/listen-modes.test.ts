/**
 * The start flags reach the gateway: `--mode hybrid` sends a replay miss live
 * (strict refuses it), and `--max-size`/`--keep` rotate a session into
 * numbered files that `listen prune` then trims. A capture fault shows in
 * `status` and `stop` without breaking the client.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { RpkFile } from '@replaykit/core'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { type FakeProvider, startFakeProvider } from '../../../test/utils/fake-provider.js'
import { cli, ensureBuilt, NODE, tempDir } from './helpers.js'
import { killListener, listen, listenJson } from './listen-helpers.js'

let fake: FakeProvider
let dir: string

/** One chat request with the question given as argument, through OPENAI_BASE_URL. */
const ASK = `
const answer = await fetch(process.env.OPENAI_BASE_URL + '/chat/completions', {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
  body: JSON.stringify({ model: 'gpt-fake', messages: [{ role: 'user', content: process.argv[2] }] }),
})
const body = await answer.json()
console.log(answer.status, body.choices ? body.choices[0].message.content : body.error.type)
`

beforeAll(async () => {
  await ensureBuilt()
  fake = await startFakeProvider()
})
afterAll(() => fake.close())
afterEach(() => {
  killListener(join(dir, '.replaykit'))
  rmSync(dir, { recursive: true, force: true })
  fake.reset()
})

const openai = () => ['--upstream', `openai=${fake.url}/v1`]

describe('replay modes', () => {
  test('a question not in the recording: strict answers a replay_miss error, --mode hybrid asks the upstream', async () => {
    dir = tempDir()
    writeFileSync(join(dir, 'ask.mjs'), ASK)
    const recorded = await listenJson(['run', '--out', 's.rpk', ...openai(), '--', NODE, 'ask.mjs', 'one'], dir)
    expect(recorded.result.stdout).toBe('200 echo: one\n')
    fake.reset()

    const strict = await listenJson(['run', '--replay', 's.rpk', ...openai(), '--', NODE, 'ask.mjs', 'two'], dir)
    expect(strict.result.stdout).toBe('400 replay_miss\n')
    expect(strict.json).toMatchObject({ mode: 'replay-strict', errors: 1 })
    expect(fake.requests).toHaveLength(0)

    const hybrid = await listenJson(
      ['run', '--replay', 's.rpk', '--mode', 'hybrid', ...openai(), '--', NODE, 'ask.mjs', 'two'],
      dir,
    )
    expect(hybrid.result.stdout).toBe('200 echo: two\n')
    expect(hybrid.json).toMatchObject({ mode: 'replay-hybrid', errors: 0 })
    expect(fake.requests).toHaveLength(1)
  })

  test('the artifact names the mode that recorded it and where its policy came from; inspect shows it', async () => {
    dir = tempDir()
    writeFileSync(join(dir, 'ask.mjs'), ASK)
    const recorded = await listenJson(['run', '--out', 'live.rpk', ...openai(), '--', NODE, 'ask.mjs', 'one'], dir)
    expect(recorded.result.stdout).toBe('200 echo: one\n')
    const live = JSON.parse(readFileSync(join(dir, 'live.rpk'), 'utf8')) as RpkFile
    expect(live.meta.capture).toEqual({ mode: 'live', policySource: 'cli flags' })
    const shown = cli(['inspect', 'live.rpk'], dir)
    expect(shown.code, shown.stderr).toBe(0)
    expect(shown.stdout).toContain('captured: mode live, policy from cli flags')

    // Replayed with --out: the replay's own artifact says it was a strict replay.
    const replayed = await listenJson(
      ['run', '--replay', 'live.rpk', '--out', 'replayed.rpk', ...openai(), '--', NODE, 'ask.mjs', 'one'],
      dir,
    )
    expect(replayed.result.stdout).toBe('200 echo: one\n')
    const replay = JSON.parse(readFileSync(join(dir, 'replayed.rpk'), 'utf8')) as RpkFile
    expect(replay.meta.capture).toEqual({ mode: 'replay-strict', policySource: 'cli flags' })
  })
})

describe('one writer per artifact', () => {
  test('a second listener recording into the same file fails with RPK_LOCKED naming the first', async () => {
    dir = tempDir()
    const first = await listen(['start', '--port', '0', '--out', 'shared.rpk', ...openai()], dir)
    expect(first.code, first.stderr).toBe(0)
    const pid = (JSON.parse(readFileSync(join(dir, '.replaykit', 'listen.json'), 'utf8')) as { pid: number }).pid
    const other = { REPLAYKIT_STATE_DIR: join(dir, 'other-state') }
    try {
      const second = await listen(['start', '--port', '0', '--out', 'shared.rpk', ...openai()], dir, other)
      expect(second.code).toBe(2)
      expect(second.stderr).toContain('Failed to lock the recording for writing')
      expect(second.stderr).toContain(`replaykit listen\` gateway, pid ${pid}`)
    } finally {
      killListener(other.REPLAYKIT_STATE_DIR)
    }
    expect((await listen(['stop'], dir)).code).toBe(0)
  })
})

describe('rotation and retention', () => {
  test('--max-size rolls the session into numbered files, --keep bounds them, listen prune trims more', async () => {
    dir = tempDir()
    writeFileSync(join(dir, 'ask.mjs'), ASK)
    writeFileSync(join(dir, 'many.sh'), `for q in a b c d e; do "${NODE}" ask.mjs "$q" || exit 1; done\n`)
    const run = await listenJson(
      ['run', '--out', 'long.rpk', '--max-size', '1', '--keep', '3', ...openai(), '--', 'sh', 'many.sh'],
      dir,
    )
    expect(run.code, run.result.stderr).toBe(0)
    const numbered = () => readdirSync(dir).filter((name) => /^long\.\d+\.rpk$/.test(name))
    expect(numbered().length).toBeGreaterThan(0)
    expect(numbered().length).toBeLessThanOrEqual(3)
    expect(readdirSync(dir)).toContain('long.rpk')

    const pruned = await listenJson(['prune', '--out', 'long.rpk', '--keep', '1'], dir)
    expect(pruned.code).toBe(0)
    expect(numbered()).toHaveLength(1)
    expect((pruned.json.kept as string[]).map((file) => file.slice(dir.length + 1))).toEqual(numbered())
  })
})

describe('degraded capture', () => {
  test('a journal write that fails: the client still gets its answer, status and stop show the fault', async () => {
    dir = tempDir()
    mkdirSync(join(dir, 'out'))
    const started = await listenJson(['start', '--out', 'out/s.rpk', '--synthetic'], dir)
    expect(started.code, started.result.stderr).toBe(0)
    // The artifact's folder becomes a file: every write fails, even for root.
    rmSync(join(dir, 'out'), { recursive: true })
    writeFileSync(join(dir, 'out'), '')
    const answer = await fetch(`${started.json.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    })
    expect(answer.status).toBe(200)
    const status = await listenJson(['status'], dir)
    expect(status.json).toMatchObject({ running: true, synthetic: 1 })
    expect((status.json.degraded as string[]).join('\n')).toContain('journal write failed')
    const stopped = await listen(['stop'], dir)
    expect(stopped.code).toBe(0)
    expect(stopped.stdout).toContain('  degraded: journal write failed')
    // Nothing could be written there: no artifact is claimed.
    expect(stopped.stdout).toContain('  wrote no artifact')
  })
})
