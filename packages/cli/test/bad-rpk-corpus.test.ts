/**
 * The bad-file corpus (test/utils/bad-rpk-corpus.ts) through every command
 * that reads recordings, with the built binary: exit 2, one typed message
 * naming the file with a fix, no stack trace, and not a byte or an mtime
 * changed. Also the size limits of `inspect` and a reader that goes away.
 */
import { spawnSync } from 'node:child_process'
import { lstatSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Run, writeRpkFile } from '@replaykit/core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type BadRpk, badRpkCorpus, goodRpkText } from '../../../test/utils/bad-rpk-corpus.js'
import { BIN, cliAsync, ensureBuilt, NODE, tempDir } from './helpers.js'

let dir: string
const corpus = badRpkCorpus({ large: false })

beforeAll(async () => {
  await ensureBuilt()
  dir = tempDir()
  writeFileSync(join(dir, 'good.rpk'), goodRpkText())
  for (const entry of corpus) entry.make(join(dir, `${entry.slug}.rpk`))
})
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** Every entry of the folder (recursively) as it is on disk: bytes, mtime, link target. */
function snapshot(folder: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of readdirSync(folder)) {
    const path = join(folder, name)
    const stat = lstatSync(path)
    if (stat.isSymbolicLink()) out[name] = `link → ${readlinkSync(path)}`
    else if (stat.isDirectory()) {
      for (const [inner, state] of Object.entries(snapshot(path))) out[`${name}/${inner}`] = state
      out[name] = `folder ${stat.mtimeMs}`
    } else out[name] = `${stat.mtimeMs} ${readFileSync(path).toString('base64')}`
  }
  return out
}

function commands(file: string): string[][] {
  return [
    ['inspect', file],
    ['diff', file, 'good.rpk'],
    ['diff', 'good.rpk', file],
    ['assert', 'good.rpk', file],
    ['assert', file, 'good.rpk', '--strict'],
    ['replay', file, '--', NODE, '-e', '0'],
    ['rehash', file],
    ['migrate', file],
  ]
}

/** The commands' own code (built), run in this process: one spawn per case would take minutes on a busy machine. */
async function runInProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { main } = await import('@replaykit/cli')
  let stdout = ''
  let stderr = ''
  const io = {
    stdout: (text: string) => {
      stdout += text
    },
    stderr: (text: string) => {
      stderr += text
    },
    env: {},
    isTTY: false,
    preload: join(BIN, '..', '..', 'dist', 'esm', 'preload.js'),
  }
  const code = await main(args, io)
  return { code, stdout, stderr }
}

function expectRefused(
  result: { code: number | null; stdout: string; stderr: string },
  file: string,
  entry: BadRpk,
  label: string,
): void {
  const where = `${label}: ${result.stderr}`
  expect(result.code, where).toBe(2)
  expect(result.stdout, where).toBe('')
  expect(result.stderr.startsWith(`[ReplayKit] ${file}: Failed to `), where).toBe(true)
  expect(result.stderr, where).toContain(entry.says)
  expect(result.stderr, where).toMatch(/\n {2}Fix: \S.*\n$/)
  expect(result.stderr, where).not.toMatch(/\n\s+at /)
  expect(result.stderr, where).not.toContain('bug in ReplayKit')
}

describe('each bad file through every command that reads recordings', () => {
  test.each(corpus.map((entry) => [entry.name, entry] as const))('%s', async (_name, entry: BadRpk) => {
    const file = join(dir, `${entry.slug}.rpk`)
    const before = snapshot(dir)
    // rehash exists to fix a hash mismatch: that one it may write (rehash-migrate.test.ts).
    const runs = commands(file).filter((args) => !(args[0] === 'rehash' && entry.fixableByRehash))
    for (const args of runs) {
      const label = args.join(' ')
      expectRefused(
        await runInProcess(args.map((arg) => (arg === 'good.rpk' ? join(dir, arg) : arg))),
        file,
        entry,
        label,
      )
      const json = await runInProcess(
        [args[0] as string, '--json', ...args.slice(1)].map((arg) => (arg === 'good.rpk' ? join(dir, arg) : arg)),
      )
      expect(JSON.parse(json.stdout), label).toMatchObject({
        ok: false,
        exitCode: 2,
        error: { code: entry.expectedCode, file },
      })
    }
    expect(snapshot(dir)).toEqual(before)
  })

  test('the binary itself: a duplicate member through every command', async () => {
    const entry = corpus.find((item) => item.slug === 'duplicate-runs-member') as BadRpk
    const file = `${entry.slug}.rpk`
    const before = snapshot(dir)
    const results = await Promise.all(commands(file).map(async (args) => ({ args, result: await cliAsync(args, dir) })))
    for (const { args, result } of results) expectRefused(result, file, entry, args.join(' '))
    expect(snapshot(dir)).toEqual(before)
  })
})

describe('inspect of very long runs and a reader that goes away', () => {
  let big: string
  let medium: string
  beforeAll(() => {
    const steps = Array.from({ length: 130_000 }, (_, seq) => ({
      kind: 'error.event',
      seq,
      correlationId: `x${seq}`,
      message: 'boom',
    }))
    const run = { name: 'long', index: 1, outcome: { type: 'return' as const }, steps }
    big = join(dir, 'long.rpk')
    writeRpkFile(big, { runs: { 'long 1': run as Run } })
    // Enough output to fill a pipe many times over, quick to load.
    medium = join(dir, 'medium.rpk')
    writeRpkFile(medium, { runs: { 'long 1': { ...run, steps: steps.slice(0, 5000) } as Run } })
  })

  test('a run of 130,000 steps is shown, not a stack overflow', async () => {
    const result = await cliAsync(['inspect', big], dir)
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout.split('\n').length).toBeGreaterThan(130_000)
  })

  test('`inspect | head` and `diff | head` end quietly with their own exit code', () => {
    for (const command of [`inspect ${medium}`, `diff ${medium} ${medium} --json`]) {
      const result = spawnSync('bash', ['-o', 'pipefail', '-c', `"${NODE}" "${BIN}" ${command} | head -c 100`], {
        cwd: dir,
        encoding: 'utf8',
      })
      expect(result.stderr, command).toBe('')
      expect(result.status, `${command} ${result.signal} ${result.error}`).toBe(0)
      expect(Buffer.byteLength(result.stdout), command).toBe(100)
    }
  })
})
