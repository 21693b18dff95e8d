/**
 * `replaykit test` and `replaykit report merge`, called in-process with the
 * runner start replaced: which runner, which arguments, which environment.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { reportMerge } from '../../packages/cli/src/commands/report-merge.js'
import { detectRunner, parseTestArgs, runTest } from '../../packages/cli/src/commands/test.js'
import { createContext } from '../../packages/cli/src/context.js'
import { createReport } from '../../packages/core/src/replay-report/build.js'
import { readReportFile, writeReportFile } from '../../packages/core/src/replay-report/io.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-cli-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function io() {
  const out = { stdout: '', stderr: '' }
  return {
    out,
    io: {
      stdout: (t: string) => {
        out.stdout += t
      },
      stderr: (t: string) => {
        out.stderr += t
      },
      env: {},
      isTTY: false,
    },
  }
}

function project(pkg: Record<string, unknown>): void {
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg))
}

describe('replaykit test', () => {
  test('finds Vitest, runs it once with REPLAYKIT_UPDATE=1 and passes the other arguments on', async () => {
    project({ devDependencies: { vitest: '^5.0.0' } })
    const calls: Array<{ command: string; args: string[]; env: NodeJS.ProcessEnv }> = []
    const { io: cli } = io()
    const code = await runTest(['--update-replays', 'test/agent.test.ts', '-t', 'weather'], cli, {
      cwd: dir,
      spawnRunner: async (command, args, options) => {
        calls.push({ command, args, env: options.env })
        return 3
      },
    })
    expect(code).toBe(3)
    expect(calls[0]?.command).toMatch(/vitest(\.cmd)?$|npx/)
    expect(calls[0]?.args.slice(-4)).toEqual(['run', 'test/agent.test.ts', '-t', 'weather'])
    expect(calls[0]?.env.REPLAYKIT_UPDATE).toBe('changed')
  })

  test('finds Jest from the jest key; --mode sets REPLAYKIT_MODE; args after -- pass untouched', async () => {
    project({ jest: { preset: '@replaykit/jest' } })
    let seen: { args: string[]; env: NodeJS.ProcessEnv } | undefined
    const code = await runTest(['--mode', 'hybrid', '--', '--update-replays-not-ours', '--ci'], io().io, {
      cwd: dir,
      spawnRunner: async (_command, args, options) => {
        seen = { args, env: options.env }
        return 0
      },
    })
    expect(code).toBe(0)
    expect(seen?.args.slice(-2)).toEqual(['--update-replays-not-ours', '--ci'])
    expect(seen?.env.REPLAYKIT_MODE).toBe('hybrid')
    expect(seen?.env.REPLAYKIT_UPDATE).toBeUndefined()
  })

  test('both or neither runner is a usage error with the fix', async () => {
    project({ devDependencies: { vitest: '1', jest: '1' } })
    expect(() => detectRunner(dir)).toThrow(/pass --runner vitest or --runner jest/)
    project({})
    const { io: cli, out } = io()
    expect(await runTest([], cli, { cwd: dir, spawnRunner: async () => 0 })).toBe(2)
    expect(out.stderr).toContain('has neither Vitest nor Jest')
    expect(() => parseTestArgs(['--mode', 'fast'])).toThrow(/unknown mode "fast"/)
  })
})

describe('replaykit report merge', () => {
  test('merges shard reports (files or their folder) into one', () => {
    const run = (file: string, key: string) =>
      ({ file, test: key, key: `${key} 1`, status: 'replayed', mode: 'strict', stored: false, ownMs: 1 }) as const
    writeReportFile(
      join(dir, 'r.shard-1-of-2.json'),
      createReport({ runner: 'vitest', shard: '1/2', runs: [run('a', 'x')], files: [] }),
    )
    writeReportFile(
      join(dir, 'r.shard-2-of-2.json'),
      createReport({ runner: 'vitest', shard: '2/2', runs: [run('b', 'y')], files: [] }),
    )
    const lines: string[] = []
    const context = createContext(
      { json: false, quiet: false, color: false, debug: false },
      {
        stdout: (t) => lines.push(t),
        stderr: (t) => lines.push(t),
        env: {},
        isTTY: false,
      },
    )
    const out = join(dir, 'merged', 'report.json')
    const result = reportMerge([dir], { out }, context)
    expect(result.exitCode).toBe(0)
    expect(readReportFile(out)).toMatchObject({ merged: 2, totals: { assertions: 2, replayed: 2 } })
    expect(lines.join('')).toContain('merged 2 reports into')
    expect(() => reportMerge([], {}, context)).toThrow(/no report files given/)
  })
})
