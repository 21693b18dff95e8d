import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { agentRun, failingRun, writeRuns } from './fixtures.js'
import { cli, ensureBuilt, normalize, tempDir } from './helpers.js'

let dir: string
beforeAll(async () => {
  await ensureBuilt()
  dir = tempDir()
  const other = { ...agentRun(), name: 'only in A' }
  const extra = { ...failingRun(), name: 'only in B' }
  writeRuns(dir, 'a.rpk', [agentRun(), failingRun(), other])
  writeRuns(dir, 'b.rpk', [agentRun({ question: 'How do I record again?', ownMs: 90 }), failingRun(), extra])
  writeRuns(dir, 'same.rpk', [agentRun(), failingRun(), other])
})
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('replaykit diff', () => {
  test('shows the first divergence of each differing run and a summary; exit 1 like diff(1)', () => {
    const before = readFileSync(join(dir, 'a.rpk'), 'utf8')
    const result = cli(['diff', 'a.rpk', 'b.rpk'], dir)
    expect(result.code).toBe(1)
    expect(result.stderr).toBe('')
    expect(normalize(result.stdout, dir)).toMatchSnapshot()
    // A viewer: nothing is written.
    expect(readFileSync(join(dir, 'a.rpk'), 'utf8')).toBe(before)
  })

  test('equal files', () => {
    const result = cli(['diff', 'a.rpk', 'same.rpk'], dir)
    expect(result.code).toBe(0)
    expect(result.stdout.trim().split('\n').at(-1)).toBe('3 runs: 3 equal, 0 differ, 0 only in A, 0 only in B')
  })

  test('--run compares one run', () => {
    const result = cli(['diff', 'a.rpk', 'b.rpk', '--run', 'weather > fails offline'], dir)
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(
      'A: a.rpk\nB: b.rpk\n= run "weather > fails offline 1": equal\n1 run: 1 equal, 0 differ, 0 only in A, 0 only in B\n',
    )
    const missing = cli(['diff', 'a.rpk', 'b.rpk', '--run', 'nobody'], dir)
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('a.rpk, b.rpk: Failed to select runs: no run has the key or name "nobody".')
  })

  test('--quiet prints the differences only', () => {
    const result = cli(['diff', 'a.rpk', 'b.rpk', '--quiet'], dir)
    expect(result.code).toBe(1)
    expect(result.stdout).not.toContain('equal')
    expect(result.stdout).not.toContain('A: a.rpk')
    expect(result.stdout).toContain('First divergence at step 1 of 8')
    expect(result.stdout).toContain('- run "only in A 1": only in A')
  })

  test('--json: one documented object', () => {
    const result = cli(['diff', 'a.rpk', 'b.rpk', '--json'], dir)
    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, exitCode: 1, equal: false })
    expect(JSON.parse(normalize(result.stdout, dir))).toMatchSnapshot()
  })

  test('exit codes: 0 when equal, 1 when a run differs or is on one side only, 2 on an unreadable file', () => {
    expect(cli(['diff', 'a.rpk', 'same.rpk', '--json'], dir).code).toBe(0)
    expect(JSON.parse(cli(['diff', 'a.rpk', 'same.rpk', '--json'], dir).stdout)).toMatchObject({
      ok: true,
      exitCode: 0,
    })
    expect(cli(['diff', 'a.rpk', 'b.rpk', '--run', 'only in A'], dir).code).toBe(1)
    expect(cli(['diff', 'a.rpk', 'nothing-here.rpk'], dir).code).toBe(2)
  })

  test('a change deep in a long prompt is shown as a window around it', () => {
    const long = `${'Answer from the docs and cite the page. '.repeat(15)}Use British spelling. Keep it short.`
    writeRuns(dir, 'long-a.rpk', [agentRun({ question: long })])
    writeRuns(dir, 'long-b.rpk', [agentRun({ question: long.replace('British', 'American') })])
    const result = cli(['diff', 'long-a.rpk', 'long-b.rpk'], dir)
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('request body $.messages[0].content: text differs from character 605 (')
    expect(result.stdout).toContain(
      '    - …564 chars… "er from the docs and cite the page. Use British spelling. Keep it short."\n' +
        '    + …564 chars… "er from the docs and cite the page. Use American spelling. Keep it short."\n',
    )
  })
})
