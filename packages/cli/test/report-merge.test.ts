/**
 * `replaykit report merge`: a shard given twice is refused (its runs would count
 * twice), a merged report holding a divergence exits 1, and `--json` carries the
 * documented `exitCode`. In-process: the command's own code, no spawn.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { createReport } from '../../core/src/replay-report/build.js'
import { writeReportFile } from '../../core/src/replay-report/io.js'
import type { ReplayEntry } from '../../core/src/replay-report/types.js'
import { reportMerge } from '../src/commands/report-merge.js'
import { createContext } from '../src/context.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-merge-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const run = (file: string, key: string, status: ReplayEntry['status'] = 'replayed'): ReplayEntry =>
  ({ file, test: key, key: `${key} 1`, status, mode: 'strict', stored: false, ownMs: 1 }) as ReplayEntry

function shard(name: string, id: string | undefined, runs: ReplayEntry[]): string {
  const path = join(dir, name)
  writeReportFile(path, createReport({ runner: 'vitest', ...(id ? { shard: id } : {}), runs, files: [] }))
  return path
}

function context(json = false) {
  const out: string[] = []
  const ctx = createContext(
    { json, quiet: false, color: false, debug: false },
    { stdout: (t) => out.push(t), stderr: (t) => out.push(t), env: {}, isTTY: false },
  )
  return { ctx, out }
}

test('the same shard id twice is refused, naming both files', () => {
  const a = shard('r1.json', '1/2', [run('a', 'x')])
  const stale = shard('r1-old.json', '1/2', [run('a', 'x'), run('a', 'old')])
  shard('r2.json', '2/2', [run('b', 'y')])
  expect(() => reportMerge([dir], {}, context().ctx)).toThrow(
    `Failed to merge reports: ${a} is shard 1/2, like ${stale}; its runs would be counted twice.`,
  )
})

test('the same report twice (a copy, no shard id) is refused', () => {
  const a = shard('a.json', undefined, [run('a', 'x')])
  copyFileSync(a, join(dir, 'b.json'))
  expect(() => reportMerge([dir], {}, context().ctx)).toThrow(
    `Failed to merge reports: ${join(dir, 'b.json')} has the same content as ${a}; its runs would be counted twice.`,
  )
})

test('exit 1 when the merged report holds a divergence, 0 when all passed; --json has exitCode', () => {
  const one = shard('r1.json', '1/2', [run('a', 'x')])
  const two = shard('r2.json', '2/2', [run('b', 'y', 'diverged')])
  const failed = reportMerge([one, two], {}, context(true).ctx)
  expect(failed.exitCode).toBe(1)
  expect(failed.json).toMatchObject({ command: 'report merge', ok: false, exitCode: 1 })
  const passed = reportMerge([one], {}, context(true).ctx)
  expect(passed.exitCode).toBe(0)
  expect(passed.json).toMatchObject({ command: 'report merge', ok: true, exitCode: 0 })
})
