/**
 * `replaykit test --update-replays --replace-invalid`: the flag reaches the
 * runner's workers as REPLAYKIT_REPLACE_INVALID=1, needs --update-replays, and a
 * mistyped REPLAYKIT_* value in the caller's environment stops before the runner starts.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { parseTestArgs, runTest } from '../src/commands/test.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-cli-test-'))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ devDependencies: { vitest: '^5.0.0' } }))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function io(env: Record<string, string> = {}) {
  const out = { stdout: '', stderr: '' }
  const cli = {
    stdout: (t: string) => {
      out.stdout += t
    },
    stderr: (t: string) => {
      out.stderr += t
    },
    env,
    isTTY: false,
  }
  return { out, cli }
}

/** Run `replaykit test <argv>` with the runner start recorded instead of spawned. */
async function run(argv: string[], env: Record<string, string> = {}) {
  const { out, cli } = io(env)
  const starts: Array<{ args: string[]; env: NodeJS.ProcessEnv }> = []
  const code = await runTest(argv, cli, {
    cwd: dir,
    spawnRunner: async (_command, args, options) => {
      starts.push({ args, env: options.env })
      return 0
    },
  })
  return { code, out, starts }
}

test('--update-replays asks for what changed, --update-replays=all for everything; another value is a usage error', async () => {
  const changed = await run(['--update-replays', 'test/agent.test.ts'])
  expect(changed.starts[0]?.env.REPLAYKIT_UPDATE).toBe('changed')
  expect(changed.out.stderr).toContain('re-recording missing and diverged runs')
  const all = await run(['--update-replays=all'])
  expect(all.starts[0]?.env.REPLAYKIT_UPDATE).toBe('all')
  expect(all.out.stderr).toContain('re-recording every run')
  const bad = await run(['--update-replays=everything'])
  expect(bad.code).toBe(2)
  expect(bad.starts).toEqual([])
  expect(bad.out.stderr).toContain('--update-replays=everything is not one of --update-replays=all')
})

test('--replace-invalid sets REPLAYKIT_REPLACE_INVALID=1 beside REPLAYKIT_UPDATE, and says so', async () => {
  const { code, out, starts } = await run(['--update-replays', '--replace-invalid', 'test/agent.test.ts'])
  expect(code).toBe(0)
  expect(starts[0]?.env).toMatchObject({ REPLAYKIT_UPDATE: 'changed', REPLAYKIT_REPLACE_INVALID: '1' })
  expect(starts[0]?.args.slice(-2)).toEqual(['run', 'test/agent.test.ts'])
  expect(out.stderr).toContain('replacing recordings that cannot be loaded')
})

test('without the flag nothing asks to replace', async () => {
  const { starts } = await run(['--update-replays'])
  expect(starts[0]?.env.REPLAYKIT_REPLACE_INVALID).toBeUndefined()
})

test('--replace-invalid alone is a usage error: it only applies to a re-recording run', async () => {
  expect(() => parseTestArgs(['--replace-invalid'])).toThrow(/--replace-invalid only applies to a re-recording run/)
  const { code, out, starts } = await run(['--replace-invalid'])
  expect(code).toBe(2)
  expect(starts).toEqual([])
  expect(out.stderr).toContain('add --update-replays')
})

test('a mistyped REPLAYKIT_UPDATE or REPLAYKIT_REPLACE_INVALID stops before the runner starts', async () => {
  const bad = await run([], { REPLAYKIT_UPDATE: 'disabled' })
  expect(bad.code).toBe(2)
  expect(bad.starts).toEqual([])
  expect(bad.out.stderr).toContain('REPLAYKIT_UPDATE="disabled" is not one of all, changed, new, none')
  const replace = await run(['--update-replays'], { REPLAYKIT_REPLACE_INVALID: 'sure' })
  expect(replace.code).toBe(2)
  expect(replace.out.stderr).toContain('REPLAYKIT_REPLACE_INVALID="sure" is not one of')
})

test('a full --update-replays=all run deletes the .rpk files of deleted test files; a filtered or changed-only run keeps them', async () => {
  const snapshots = join(dir, 'test', '__snapshots__')
  mkdirSync(snapshots, { recursive: true })
  writeFileSync(join(dir, 'test', 'kept.test.ts'), '')
  writeFileSync(join(snapshots, 'kept.test.ts.rpk'), '{}')
  writeFileSync(join(snapshots, 'gone.test.ts.rpk'), '{}')
  await run(['--update-replays'])
  await run(['--update-replays=all', 'test/kept.test.ts'])
  expect(existsSync(join(snapshots, 'gone.test.ts.rpk'))).toBe(true)
  const full = await run(['--update-replays=all'])
  expect(existsSync(join(snapshots, 'gone.test.ts.rpk'))).toBe(false)
  expect(existsSync(join(snapshots, 'kept.test.ts.rpk'))).toBe(true)
  expect(full.out.stderr).toContain('removed 1 recording(s) of deleted test files: test/__snapshots__/gone.test.ts.rpk')
})
