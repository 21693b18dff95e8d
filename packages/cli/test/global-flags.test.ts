import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { agentRun, writeRuns } from './fixtures.js'
import { cli, ensureBuilt, ROOT, tempDir } from './helpers.js'

let dir: string
beforeAll(async () => {
  await ensureBuilt()
  dir = tempDir()
  writeRuns(dir, 'a.rpk', [agentRun()])
  writeRuns(dir, 'b.rpk', [agentRun({ question: 'How do I record again?' })])
})
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

// ESC [ opens every ANSI colour sequence.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[`)

describe('replaykit: help, version and usage errors', () => {
  test('--help lists the commands and global flags (exit 0)', () => {
    const result = cli(['--help'], dir)
    expect(result.code).toBe(0)
    expect(result.stderr).toBe('')
    expect(result.stdout).toMatchSnapshot()
    // The commands that run a program are listed with the others.
    for (const command of ['record', 'replay']) expect(result.stdout).toContain(`  ${command}`)
  })

  test('a command --help shows its own options (exit 0)', () => {
    const result = cli(['assert', '--help'], dir)
    expect(result.code).toBe(0)
    expect(result.stdout).toMatchSnapshot()
  })

  test('--version prints the package version (exit 0)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'packages', 'cli', 'package.json'), 'utf8')) as { version: string }
    for (const flag of ['--version', '-v']) {
      const result = cli([flag], dir)
      expect(result.code).toBe(0)
      expect(result.stdout).toBe(`${pkg.version}\n`)
    }
  })

  test.each([
    [[], 'Failed to run: no command given.'],
    [['rewind', 'a.rpk'], 'Failed to run: unknown command `rewind`.'],
    [['--bogus'], 'Failed to read the arguments: unknown option `--bogus`.'],
    [['inspect', 'a.rpk', '--bogus'], 'Failed to read the arguments: unknown option `--bogus`.'],
    [['inspect', 'a.rpk', '-x'], 'Failed to read the arguments: unknown option `-x`.'],
    [['diff', 'a.rpk', 'b.rpk', '--strict'], 'Failed to read the arguments: unknown option `--strict`.'],
    [['inspect'], 'Failed to read the arguments: missing argument for `inspect <file>`.'],
    [['diff', 'a.rpk'], 'Failed to read the arguments: missing argument for `diff <a> <b>`.'],
    [['rehash', 'a.rpk', 'b.rpk'], 'Failed to read the arguments: too many arguments: `b.rpk`.'],
    [['inspect', 'a.rpk', '--run'], 'Failed to read the arguments: option `--run <name>` needs a value.'],
    [['inspect', 'a.rpk', '--', 'x'], 'Failed to read the arguments: unexpected arguments after `--` (x).'],
  ])('usage error %j: exit 2, one clear message with the fix, no stack trace', (args, message) => {
    const result = cli(args, dir)
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain(message)
    expect(result.stderr).toContain('\n  Fix: ')
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(result.stderr.trim().split('\n')).toHaveLength(2)
  })

  test('--json reports errors as a JSON object too', () => {
    const result = cli(['inspect', 'missing.rpk', '--json'], dir)
    expect(result.code).toBe(2)
    expect(JSON.parse(result.stdout)).toEqual({
      command: 'inspect',
      ok: false,
      exitCode: 2,
      error: {
        code: 'RPK_UNREADABLE',
        message: 'Failed to read the recording: the file does not exist.',
        file: 'missing.rpk',
        hint: 'check the path; recordings are written to __snapshots__/<test file>.rpk beside each test file.',
      },
    })
    expect(result.stderr).toContain('missing.rpk: Failed to read the recording: the file does not exist.')
    const usage = cli(['nope', '--json'], dir)
    expect(usage.code).toBe(2)
    expect(JSON.parse(usage.stdout)).toMatchObject({
      command: null,
      ok: false,
      error: { code: 'RPK_USAGE', file: 'nope' },
    })
  })

  test('--debug adds the stack trace', () => {
    const result = cli(['inspect', 'missing.rpk', '--debug'], dir)
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/\n\s+at /)
  })

  test('colours: off without a TTY, forced with FORCE_COLOR, off again with NO_COLOR or --no-color', () => {
    const args = ['diff', 'a.rpk', 'b.rpk']
    expect(cli(args, dir).stdout).not.toMatch(ANSI)
    expect(cli(args, dir, { FORCE_COLOR: '1' }).stdout).toMatch(ANSI)
    expect(cli(args, dir, { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout).not.toMatch(ANSI)
    expect(cli([...args, '--no-color'], dir, { FORCE_COLOR: '1' }).stdout).not.toMatch(ANSI)
    // An empty NO_COLOR does not count (no-color.org).
    expect(cli(args, dir, { FORCE_COLOR: '1', NO_COLOR: '' }).stdout).toMatch(ANSI)
  })
})
