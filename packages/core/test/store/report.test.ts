import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { createReport, fileEntryOf, mergeReports } from '../../src/replay-report/build.js'
import { formatReport } from '../../src/replay-report/format.js'
import { parseReport, readReportFile, writeReportFile } from '../../src/replay-report/io.js'
import type { ReplayEntry } from '../../src/replay-report/types.js'

const now = new Date('2026-11-20T10:00:00Z')

function entry(file: string, key: string, status: ReplayEntry['status'], ownMs: number): ReplayEntry {
  return { file, test: key.replace(/ \d+$/, ''), key, status, mode: 'strict', stored: false, ownMs }
}

const shard1 = createReport({
  runner: 'vitest',
  shard: '1/2',
  now,
  runs: [
    entry('test/a.test.ts', 'a 1', 'replayed', 3),
    {
      ...entry('test/a.test.ts', 'b 1', 'diverged', 9),
      divergence: { step: 1, kind: 'model.request', section: 'prompt', path: '$.x', differences: 2 },
    },
  ],
  files: [
    {
      file: 'test/a.test.ts',
      rpk: 'test/__snapshots__/a.test.ts.rpk',
      written: false,
      deleted: false,
      obsolete: ['old 1'],
      removed: [],
    },
  ],
})
const shard2 = createReport({
  runner: 'vitest',
  shard: '2/2',
  now,
  runs: [entry('test/c.test.ts', 'c 1', 'recorded', 20), entry('test/c.test.ts', 'c 2', 'missing', 1)],
  files: [],
})

describe('createReport', () => {
  test('counts statuses and obsolete keys, and lists the slowest runs', () => {
    expect(shard1.totals).toEqual({
      assertions: 2,
      recorded: 0,
      updated: 0,
      replayed: 1,
      diverged: 1,
      missing: 0,
      slow: 0,
      obsolete: 1,
      files: 1,
    })
    expect(shard1.slowest.map((s) => s.key)).toEqual(['b 1', 'a 1'])
  })

  test('file entries are relative to the root', () => {
    const saved = {
      rpkPath: '/p/test/__snapshots__/a.test.ts.rpk',
      written: true,
      deleted: false,
      added: ['a 1'],
      updated: [],
      removed: [],
      obsolete: [],
      unsaved: [],
      unchanged: [],
      unasserted: [],
      duplicates: [],
    }
    expect(fileEntryOf('/p', '/p/test/a.test.ts', saved)).toEqual({
      file: 'test/a.test.ts',
      rpk: 'test/__snapshots__/a.test.ts.rpk',
      written: true,
      deleted: false,
      obsolete: [],
      removed: [],
    })
  })
})

describe('mergeReports', () => {
  test('joins shards into one report with totals over all', () => {
    const merged = mergeReports([shard2, shard1], now)
    expect(merged.merged).toBe(2)
    expect(merged.shard).toBeUndefined()
    expect(merged.totals).toMatchObject({ assertions: 4, replayed: 1, diverged: 1, recorded: 1, missing: 1 })
    expect(merged.runs.map((r) => r.key)).toEqual(['a 1', 'b 1', 'c 1', 'c 2'])
    expect(merged.slowest[0]?.key).toBe('c 1')
    // Merging is order-independent.
    expect(mergeReports([shard1, shard2], now)).toEqual(merged)
  })
})

describe('formatReport', () => {
  test('summary: totals, failures, obsolete entries and the slowest runs', () => {
    const text = formatReport(shard1, { format: 'summary', color: false })
    expect(text).toContain(' ReplayKit  2 runs · 0 recorded · 0 re-recorded · 1 replayed · 1 diverged')
    expect(text).toContain('(shard 1/2)')
    expect(text).toContain('✗ diverged test/a.test.ts "b 1" — step 1 model.request (prompt) $.x')
    expect(text).toContain('○ obsolete test/__snapshots__/a.test.ts.rpk: "old 1"')
    expect(text).toContain('slowest (own time): 9.00 ms "b 1"')
  })

  test('quiet: failures only, nothing when all passed', () => {
    const text = formatReport(shard1, { format: 'quiet', color: false })
    expect(text).toContain('✗ diverged')
    expect(text).not.toContain('obsolete test/')
    const passing = createReport({ runner: 'jest', runs: [entry('a', 'a 1', 'replayed', 1)], files: [] })
    expect(formatReport(passing, { format: 'quiet', color: false })).toBe('')
  })
})

describe('JSON files', () => {
  test('round-trip, and a foreign file is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rpk-report-'))
    try {
      const file = join(dir, 'report.json')
      writeReportFile(file, shard1)
      expect(readReportFile(file)).toEqual(shard1)
      writeFileSync(file, '{"schema":"other"}')
      expect(() => readReportFile(file)).toThrow(/its schema is "other", expected "replaykit-report\/1"/)
      expect(() => parseReport('{', 'x.json')).toThrow(/Failed to read the report/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
