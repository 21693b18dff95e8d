/**
 * What the CLI loads before it can answer: `--version` and `--help` read the
 * command line and print, so they load neither core (its error classes
 * included) nor Node's stream for stderr, which they never write to. Their
 * cost is benchmark 10 (`startup-version`); this test checks what is loaded,
 * never how long it takes. A wrong command line still gets core's UsageError.
 */
import { spawnSync } from 'node:child_process'
import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { BIN, ensureBuilt, NODE, tempDir } from './helpers.js'

let dir: string
let probe: string
beforeAll(async () => {
  await ensureBuilt()
  dir = tempDir()
  probe = join(dir, 'probe.mjs')
  // Preloaded with --import: notes every module the program resolves, and Node's own modules at exit.
  writeFileSync(
    probe,
    `import { registerHooks } from 'node:module'
import { writeFileSync } from 'node:fs'
const urls = []
registerHooks({
  resolve(specifier, context, next) {
    const result = next(specifier, context)
    urls.push(result.url)
    return result
  },
})
process.on('exit', () => {
  writeFileSync(process.env.PROBE_OUT, JSON.stringify({ urls, builtins: process.moduleLoadList }))
})
`,
  )
})
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** Run the CLI with stdout a pipe and stderr a file (so a made stderr shows as Node's file stream module). */
function loads(args: string[]): {
  code: number | null
  stdout: string
  stderr: string
  urls: string[]
  builtins: string[]
} {
  const out = join(dir, 'loaded.json')
  const errFile = join(dir, 'stderr.txt')
  const fd = openSync(errFile, 'w')
  try {
    const result = spawnSync(NODE, ['--import', probe, BIN, ...args], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', fd],
      env: { ...process.env, PROBE_OUT: out },
    })
    const { urls, builtins } = JSON.parse(readFileSync(out, 'utf8')) as { urls: string[]; builtins: string[] }
    return { code: result.status, stdout: result.stdout, stderr: readFileSync(errFile, 'utf8'), urls, builtins }
  } finally {
    closeSync(fd)
  }
}

const fromCore = (urls: string[]): string[] => urls.filter((url) => /[\\/]core[\\/]dist[\\/]/.test(url))
const FILE_STREAM = 'NativeModule internal/fs/sync_write_stream'

describe('replaykit start-up: what is loaded before a command runs', () => {
  test.each([['--version'], ['--help']])('%s loads no module of core and makes no stderr stream', (flag) => {
    const result = loads([flag])
    expect(result.code).toBe(0)
    expect(result.stdout).not.toBe('')
    expect(result.stderr).toBe('')
    // The probe saw the CLI's own modules (it works), and none of core's.
    expect(result.urls.some((url) => url.includes('/cli/dist/esm/'))).toBe(true)
    expect(fromCore(result.urls)).toEqual([])
    expect(result.builtins).not.toContain(FILE_STREAM)
  })

  test('a wrong command line still reports core UsageError, on stderr and in --json', () => {
    const text = loads(['--bogus'])
    expect(text.code).toBe(2)
    expect(text.stderr).toContain('[ReplayKit] Failed to read the arguments: unknown option `--bogus`.')
    expect(text.stderr).toContain('Fix: run `replaykit --help`')
    expect(text.builtins).toContain(FILE_STREAM)

    const json = loads(['inspect', '--json'])
    expect(json.code).toBe(2)
    expect(JSON.parse(json.stdout)).toMatchObject({
      command: 'inspect',
      ok: false,
      exitCode: 2,
      error: { code: 'RPK_USAGE', file: null, hint: 'see `replaykit inspect --help`.' },
    })
  })
})
