/**
 * `replaykit report merge <files or folders…> [--out <file>]`: join the JSON
 * replay reports of sharded runs (`--shard`, one report per shard) into one.
 * A folder stands for the `.json` files in it.
 */
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { formatReport, mergeReports, readReportFile, writeReportFile } from '@replaykit/core'
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
  const merged = mergeReports(files.map((file) => readReportFile(file)))
  if (options.out) writeReportFile(options.out, merged)
  const summary = formatReport(merged, {
    format: context.options.quiet ? 'quiet' : 'summary',
    color: context.options.color,
  })
  if (summary) context.failure(summary)
  if (options.out) context.info(`merged ${files.length} reports into ${options.out}`)
  return {
    exitCode: EXIT_CODES.ok,
    json: { command: 'report merge', ok: true, files, ...(options.out ? { out: options.out } : {}), report: merged },
  }
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
