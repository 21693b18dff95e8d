/**
 * `replaykit report merge <files or folders…> [--out <file>]`: join the JSON
 * replay reports of sharded runs (`--shard`, one report per shard) into one.
 * A folder stands for the `.json` files in it.
 *
 * Exit code: 1 when the merged report holds a diverged, missing or slow run, or a
 * recording that was not saved (like the test run it sums up); 0 otherwise; 2 when
 * a report cannot be read or the same shard is given twice (its runs would count twice).
 */
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { formatReport, mergeReports, type ReplayReport, readReportFile, writeReportFile } from '@replaykit/core'
import type { CommandContext, CommandResult } from '../context.js'
import { EXIT_CODES } from '../exit-codes.js'
import { usageError } from '../usage-error.js'

export interface ReportMergeOptions {
  /** Where to write the merged report; without it, only the summary is printed (and the report with --json). */
  out?: string
}

export function reportMerge(
  inputs: readonly string[],
  options: ReportMergeOptions,
  context: CommandContext,
): CommandResult {
  const files = expand(inputs)
  if (files.length === 0) {
    throw usageError(
      'Failed to merge reports: no report files given.',
      'pass the JSON reports of the shards, or the folder they are in: replaykit report merge reports/ --out report.json',
    )
  }
  const reports = files.map((file) => readReportFile(file))
  refuseDuplicates(files, reports)
  const merged = mergeReports(reports)
  if (options.out) writeReportFile(options.out, merged)
  const summary = formatReport(merged, {
    format: context.options.quiet ? 'quiet' : 'summary',
    color: context.options.color,
  })
  if (summary) context.failure(summary)
  if (options.out) context.info(`merged ${files.length} reports into ${options.out}`)
  const t = merged.totals
  const failed = t.diverged + t.missing + t.slow > 0 || merged.files.some((file) => file.error !== undefined)
  const exitCode = failed ? EXIT_CODES.failed : EXIT_CODES.ok
  return {
    exitCode,
    json: {
      command: 'report merge',
      ok: !failed,
      exitCode,
      files,
      ...(options.out ? { out: options.out } : {}),
      report: merged,
    },
  }
}

/**
 * Throws when two inputs are the same shard (same `shard` id) or the same report (identical
 * content apart from `createdAt`): merging both would count each of their runs twice.
 */
function refuseDuplicates(files: readonly string[], reports: readonly ReplayReport[]): void {
  const byShard = new Map<string, string>()
  const byContent = new Map<string, string>()
  reports.forEach((report, i) => {
    const file = files[i] as string
    const { createdAt: _, ...content } = report
    const text = JSON.stringify(content)
    const same = byContent.get(text)
    if (same !== undefined) {
      throw usageError(
        `Failed to merge reports: ${file} has the same content as ${same}; its runs would be counted twice.`,
        'pass each report once (a copy of a report may be in the folder).',
        file,
      )
    }
    byContent.set(text, file)
    if (report.shard === undefined) return
    const shard = byShard.get(report.shard)
    if (shard !== undefined) {
      throw usageError(
        `Failed to merge reports: ${file} is shard ${report.shard}, like ${shard}; its runs would be counted twice.`,
        'pass the report of each shard once (a stale report from an earlier run may be in the folder).',
        file,
      )
    }
    byShard.set(report.shard, file)
  })
}

/** Files as given, and the `.json` files of folders, in a stable order. */
function expand(inputs: readonly string[]): string[] {
  const files: string[] = []
  for (const input of inputs) {
    let isFolder = false
    try {
      isFolder = statSync(input).isDirectory()
    } catch {
      // Not there: readReportFile says so with the path and a fix.
    }
    if (isFolder) {
      for (const name of readdirSync(input)
        .filter((n) => n.endsWith('.json'))
        .sort())
        files.push(join(input, name))
    } else files.push(input)
  }
  return files
}
