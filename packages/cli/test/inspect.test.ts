import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { agentRun, failingRun, writeRuns } from './fixtures.js'
import { cli, ensureBuilt, normalize, tempDir } from './helpers.js'

let dir: string
beforeAll(async () => {
  await ensureBuilt()
  dir = tempDir()
  const second = { ...agentRun({ question: 'And in CI?' }), index: 2 }
  writeRuns(dir, 'agent.rpk', [agentRun(), second, failingRun()])
})
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('replaykit inspect', () => {
  test('lists the runs with a timeline of their steps', () => {
    const result = cli(['inspect', 'agent.rpk'], dir)
    expect(result.code).toBe(0)
    expect(result.stderr).toBe('')
    expect(normalize(result.stdout, dir)).toMatchSnapshot()
    for (const line of result.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(200)
  })

  test('--run selects by key or by name', () => {
    const byKey = cli(['inspect', 'agent.rpk', '--run', 'weather > fails offline 1'], dir)
    expect(byKey.code).toBe(0)
    expect(normalize(byKey.stdout, dir)).toMatchSnapshot()
    const byName = cli(['inspect', 'agent.rpk', '--json', '--run=agent answers from the docs'], dir)
    const json = JSON.parse(byName.stdout) as { runs: Array<{ key: string }> }
    expect(json.runs.map((run) => run.key)).toEqual(['agent answers from the docs 1', 'agent answers from the docs 2'])
    const both = cli(
      ['inspect', 'agent.rpk', '--json', '--run', 'weather > fails offline', '--run', 'agent answers from the docs 2'],
      dir,
    )
    expect((JSON.parse(both.stdout) as { runs: unknown[] }).runs).toHaveLength(2)
  })

  test('--run with a name no run has is a usage error listing the runs', () => {
    const result = cli(['inspect', 'agent.rpk', '--run', 'agent 1'], dir)
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe(
      '[ReplayKit] agent.rpk: Failed to select runs: no run has the key or name "agent 1".\n' +
        '  Fix: pass a run key or name with --run; its runs are "agent answers from the docs 1", "agent answers from the docs 2", "weather > fails offline 1".\n',
    )
  })

  test('--json: one documented object', () => {
    const result = cli(['inspect', 'agent.rpk', '--json'], dir)
    expect(result.code).toBe(0)
    expect(JSON.parse(normalize(result.stdout, dir))).toMatchSnapshot()
  })

  test('--quiet prints nothing when nothing failed', () => {
    const result = cli(['inspect', 'agent.rpk', '--quiet'], dir)
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' })
  })
})
