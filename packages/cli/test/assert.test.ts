import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { agentRun, failingRun, writeRuns } from './fixtures.js'
import { cli, ensureBuilt, normalize, tempDir } from './helpers.js'

let dir: string
beforeAll(async () => {
  await ensureBuilt()
  dir = tempDir()
  writeRuns(dir, 'baseline.rpk', [agentRun({ ownMs: 40 }), failingRun()])
  // Same recorded content: timing is volatile and not part of the comparison.
  writeRuns(dir, 'same.rpk', [agentRun({ ownMs: 45 }), failingRun()])
  writeRuns(dir, 'prompt.rpk', [agentRun({ question: 'How do I record again?', ownMs: 40 }), failingRun()])
  writeRuns(dir, 'missing.rpk', [agentRun({ ownMs: 40 })])
  writeRuns(dir, 'extra.rpk', [agentRun({ ownMs: 40 }), failingRun(), { ...failingRun(), name: 'new test' }])
  // 40 ms → 100 ms: ×2.5 and +60 ms, past both default limits (×1.5 and +50 ms).
  writeRuns(dir, 'slow.rpk', [agentRun({ ownMs: 100 }), failingRun()])
  // 40 ms → 85 ms: ×2.1 but only +45 ms, within the default floor.
  writeRuns(dir, 'bit-slower.rpk', [agentRun({ ownMs: 85 }), failingRun()])
})
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('replaykit assert', () => {
  test('exit 0 when every run matches', () => {
    const result = cli(['assert', 'baseline.rpk', 'same.rpk'], dir)
    expect(result).toEqual({ code: 0, stdout: 'assert: OK — 2 runs match the baseline\n', stderr: '' })
    writeRuns(dir, 'one.rpk', [failingRun()])
    const one = cli(['assert', 'one.rpk', 'one.rpk'], dir)
    expect(one).toEqual({ code: 0, stdout: 'assert: OK — 1 run matches the baseline\n', stderr: '' })
  })

  test('exit 1 on a divergence, with the report', () => {
    const result = cli(['assert', 'baseline.rpk', 'prompt.rpk'], dir)
    expect(result.code).toBe(1)
    expect(result.stderr).toBe('')
    expect(normalize(result.stdout, dir)).toMatchSnapshot()
  })

  test('exit 1 on a missing or an extra run', () => {
    const missing = cli(['assert', 'baseline.rpk', 'missing.rpk'], dir)
    expect(missing.code).toBe(1)
    expect(missing.stdout).toBe(
      '✗ run "weather > fails offline 1" is missing from the candidate (only in the baseline)\n' +
        'assert: FAILED — 1 of 2 runs failed (1 missing); baseline baseline.rpk, candidate missing.rpk\n',
    )
    const extra = cli(['assert', 'baseline.rpk', 'extra.rpk'], dir)
    expect(extra.code).toBe(1)
    expect(extra.stdout).toContain('✗ run "new test 1" is not in the baseline (extra in the candidate)')
  })

  test('--strict fails a run slower past the ratio and the floor', () => {
    expect(cli(['assert', 'baseline.rpk', 'slow.rpk'], dir).code).toBe(0)
    const slow = cli(['assert', 'baseline.rpk', 'slow.rpk', '--strict'], dir)
    expect(slow.code).toBe(1)
    expect(slow.stdout).toBe(
      '✗ run "agent answers from the docs 1" got slower: own time 100 ms vs 40 ms in the baseline (×2.5, limit ×1.5 and +50 ms)\n' +
        'note: 1 run has no timing on one side; not checked for slowdowns\n' +
        'assert: FAILED — 1 of 2 runs failed (1 slow); baseline baseline.rpk, candidate slow.rpk\n',
    )
    expect(cli(['assert', 'baseline.rpk', 'bit-slower.rpk', '--strict'], dir).code).toBe(0)
    expect(cli(['assert', 'baseline.rpk', 'bit-slower.rpk', '--strict', '--min-ms', '10'], dir).code).toBe(1)
    expect(cli(['assert', 'baseline.rpk', 'slow.rpk', '--strict', '--max-ratio', '3'], dir).code).toBe(0)
    expect(cli(['assert', 'baseline.rpk', 'slow.rpk', '--strict', '--max-ratio=2.4', '--min-ms=0'], dir).code).toBe(1)
  })

  test.each([
    [['--max-ratio', '2'], '--max-ratio: Failed to read the arguments: --max-ratio only applies with --strict.'],
    [
      ['--strict', '--max-ratio', 'fast'],
      '--max-ratio: Failed to read the arguments: --max-ratio must be a number above 0, like 1.5, not "fast".',
    ],
    [
      ['--strict', '--max-ratio', '0'],
      '--max-ratio: Failed to read the arguments: --max-ratio must be a number above 0, like 1.5, not 0.',
    ],
    [['--strict', '--min-ms'], 'Failed to read the arguments: option `--min-ms <ms>` needs a value.'],
    [
      ['--strict', '--min-ms', '-5'],
      'Failed to read the arguments: unknown option `-5` (write a negative number as --option=-5).',
    ],
    [
      ['--strict', '--min-ms=-5'],
      '--min-ms: Failed to read the arguments: --min-ms must be a number of milliseconds, 0 or more, not -5.',
    ],
    [
      ['--strict', '--min-ms', '1', '--min-ms', '2'],
      '--min-ms: Failed to read the arguments: --min-ms must be a number of milliseconds',
    ],
  ])('bad gate options %j: exit 2', (flags, message) => {
    const result = cli(['assert', 'baseline.rpk', 'slow.rpk', ...flags], dir)
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain(message)
  })

  test('--quiet: nothing on success, failures only otherwise', () => {
    expect(cli(['assert', 'baseline.rpk', 'same.rpk', '--quiet'], dir)).toEqual({ code: 0, stdout: '', stderr: '' })
    const failed = cli(['assert', 'baseline.rpk', 'slow.rpk', '--strict', '--quiet'], dir)
    expect(failed.code).toBe(1)
    expect(failed.stdout).not.toContain('note:')
    expect(failed.stdout).toContain('assert: FAILED')
  })

  test('--json: one documented object, with the exit code', () => {
    const failed = cli(['assert', 'baseline.rpk', 'prompt.rpk', '--strict', '--json'], dir)
    expect(failed.code).toBe(1)
    expect(JSON.parse(normalize(failed.stdout, dir))).toMatchSnapshot()
    const passed = cli(['assert', 'baseline.rpk', 'same.rpk', '--json'], dir)
    expect(JSON.parse(passed.stdout)).toEqual({
      command: 'assert',
      ok: true,
      exitCode: 0,
      baseline: 'baseline.rpk',
      candidate: 'same.rpk',
      strict: false,
      maxRatio: 1.5,
      minMs: 50,
      summary: { runs: 2, passed: 2, diverged: 0, missing: 0, extra: 0, slow: 0, timingUnchecked: 0 },
      failures: [],
    })
  })
})
