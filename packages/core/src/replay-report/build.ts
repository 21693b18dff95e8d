/**
 * Building the replay report from what the matchers and the files recorded,
 * and merging the reports of several shards into one.
 */
import { relative } from 'node:path'
import type { SaveResult } from '../store/replay-file.js'
import { REPORT_SCHEMA, type ReplayEntry, type ReplayFileEntry, type ReplayReport, type ReplayTotals } from './types.js'

const SLOWEST = 5

export interface ReportInput {
  runner: ReplayReport['runner']
  runs: ReplayEntry[]
  files: ReplayFileEntry[]
  shard?: string
  /** Orphaned `.rpk` files (`findOrphanedRpks`), relative to the root. */
  orphans?: string[]
  now?: Date
}

/** Assemble a report: entries sorted by file and key, totals and the slowest runs computed. */
export function createReport(input: ReportInput): ReplayReport {
  const runs = [...input.runs].sort((a, b) => compare(a.file, b.file) || compare(a.key, b.key))
  const files = [...input.files].sort((a, b) => compare(a.file, b.file))
  return {
    schema: REPORT_SCHEMA,
    runner: input.runner,
    createdAt: (input.now ?? new Date()).toISOString(),
    ...(input.shard ? { shard: input.shard } : {}),
    totals: totalsOf(runs, files),
    files,
    ...(input.orphans && input.orphans.length > 0 ? { orphans: [...input.orphans].sort() } : {}),
    runs,
    slowest: slowestOf(runs),
  }
}

/** Merge the reports of sharded runs (each test file ran in exactly one shard). */
export function mergeReports(reports: readonly ReplayReport[], now?: Date): ReplayReport {
  const files = new Map<string, ReplayFileEntry>()
  for (const report of reports)
    for (const file of report.files) files.set(file.file, mergeFile(files.get(file.file), file))
  const runners = new Set(reports.map((r) => r.runner))
  const merged = createReport({
    runner: runners.size === 1 ? (reports[0]?.runner ?? 'merged') : 'merged',
    runs: reports.flatMap((r) => r.runs),
    files: [...files.values()],
    orphans: [...new Set(reports.flatMap((r) => r.orphans ?? []))],
    ...(now ? { now } : {}),
  })
  return { ...merged, merged: reports.length }
}

/** The report entry for a saved `.rpk`. */
export function fileEntryOf(root: string, testFile: string, save: SaveResult): ReplayFileEntry {
  const entry: ReplayFileEntry = {
    file: relativePath(root, testFile),
    rpk: relativePath(root, save.rpkPath),
    written: save.written,
    deleted: save.deleted,
    obsolete: save.obsolete,
    removed: save.removed,
  }
  if (save.error !== undefined) entry.error = save.error instanceof Error ? save.error.message : String(save.error)
  if (save.duplicates.length > 0) entry.duplicates = save.duplicates
  if (save.unchanged.length > 0) entry.unchanged = save.unchanged
  if (save.unasserted.length > 0) entry.unasserted = save.unasserted
  return entry
}

function mergeFile(a: ReplayFileEntry | undefined, b: ReplayFileEntry): ReplayFileEntry {
  // @note The same file in two shards happens only when several projects run it: obsolete then means
  // unused by all of them, and written/removed by any.
  if (!a) return b
  const merged: ReplayFileEntry = {
    file: a.file,
    rpk: a.rpk,
    written: a.written || b.written,
    deleted: a.deleted || b.deleted,
    obsolete: a.obsolete.filter((key) => b.obsolete.includes(key)),
    removed: [...new Set([...a.removed, ...b.removed])].sort(),
  }
  const error = a.error ?? b.error
  if (error !== undefined) merged.error = error
  for (const field of ['duplicates', 'unasserted', 'unchanged'] as const) {
    const keys = [...new Set([...(a[field] ?? []), ...(b[field] ?? [])])].sort()
    if (keys.length > 0) merged[field] = keys
  }
  return merged
}

function totalsOf(runs: readonly ReplayEntry[], files: readonly ReplayFileEntry[]): ReplayTotals {
  const totals: ReplayTotals = {
    assertions: runs.length,
    recorded: 0,
    updated: 0,
    replayed: 0,
    diverged: 0,
    missing: 0,
    slow: 0,
    obsolete: 0,
    files: files.length,
  }
  for (const run of runs) totals[run.status]++
  for (const file of files) totals.obsolete += file.obsolete.length
  return totals
}

function slowestOf(runs: readonly ReplayEntry[]): ReplayReport['slowest'] {
  return runs
    .filter((run) => run.ownMs !== undefined)
    .sort((a, b) => (b.ownMs ?? 0) - (a.ownMs ?? 0) || compare(a.key, b.key))
    .slice(0, SLOWEST)
    .map((run) => {
      const slow: ReplayReport['slowest'][number] = { file: run.file, key: run.key }
      if (run.ownMs !== undefined) slow.ownMs = run.ownMs
      if (run.recordedOwnMs !== undefined) slow.recordedOwnMs = run.recordedOwnMs
      if (run.ratio !== undefined) slow.ratio = run.ratio
      return slow
    })
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function relativePath(root: string, file: string): string {
  return relative(root, file).split('\\').join('/')
}
