/**
 * emitReport: the one end-of-run step both reporters (Vitest, Jest) call. The
 * runners' own tests (test/e2e) check it through the real binaries; this pins
 * the shard file names and the forms.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { createReport } from '../../src/replay-report/build.js'
import { emitReport, finalAttempts, reportPath } from '../../src/replay-report/emit.js'
import type { ReplayEntry } from '../../src/replay-report/types.js'

let root: string
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'rpk-emit-'))
})
afterEach(() => {
  rmSync(root, { recursive: true, force: true })
})

function entry(key: string, status: ReplayEntry['status']): ReplayEntry {
  return { file: 'a.test.ts', test: 'a', key, status, mode: 'strict', stored: false, ownMs: 1 }
}
const report = createReport({ runner: 'jest', runs: [entry('a 1', 'diverged')], files: [] })

test('json goes to one file per shard, relative to the root, and says where', () => {
  const logged: string[] = []
  const file = emitReport({
    report,
    format: 'json',
    reportFile: 'out/report.json',
    root,
    shard: { index: 2, count: 3 },
    log: (text) => logged.push(text),
  })
  expect(file).toBe(join(root, 'out', 'report.shard-2-of-3.json'))
  expect(JSON.parse(readFileSync(file ?? '', 'utf8'))).toMatchObject({ runner: 'jest', totals: { diverged: 1 } })
  expect(logged).toEqual([`ReplayKit report written to ${file}`])
})

test('a shard file name is added to a name without .json, and an absolute name is kept', () => {
  expect(reportPath('/abs/report', root, { index: 1, count: 2 })).toBe('/abs/report.shard-1-of-2.json')
  expect(reportPath('/abs/report.json', root)).toBe('/abs/report.json')
})

test('summary and quiet print the formatted report between blank lines, and write nothing', () => {
  for (const format of ['summary', 'quiet'] as const) {
    const logged: string[] = []
    expect(emitReport({ report, format, reportFile: 'r.json', root, log: (t) => logged.push(t), color: false })).toBe(
      undefined,
    )
    expect(logged).toHaveLength(1)
    expect(logged[0]).toMatch(/^\n[\s\S]*a 1[\s\S]*\n$/s)
  }
})

test('finalAttempts keeps the last entry of each key, in the order of last attempts', () => {
  const entries = [entry('a 1', 'diverged'), entry('b 1', 'replayed'), entry('a 1', 'replayed')]
  expect(finalAttempts(entries).map((e) => `${e.key}:${e.status}`)).toEqual(['b 1:replayed', 'a 1:replayed'])
})
