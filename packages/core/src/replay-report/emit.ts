/**
 * The end of a test run, shared by the Vitest reporter and the Jest reporter:
 * print the report (`summary`, `quiet`) or write it as JSON, one file per
 * shard. The runners only gather the entries and say where to log.
 */
import { isAbsolute, join } from 'node:path'
import { formatReport, terminalColors } from './format.js'
import { writeReportFile } from './io.js'
import type { ReplayEntry, ReplayReport, ReportFormat } from './types.js'

/** Which shard of a sharded run this process ran (1-based, like `--shard=2/3`). */
export interface ReportShard {
  index: number
  count: number
}

export interface EmitReportInput {
  report: ReplayReport
  format: ReportFormat
  /** File of the `json` form: absolute, or relative to `root`. */
  reportFile: string
  /** The project root. */
  root: string
  shard?: ReportShard | undefined
  /** Prints one message (the runner's logger). */
  log: (text: string) => void
  /** Colours in the printed forms; default: when the terminal takes them. */
  color?: boolean
}

/**
 * Print or write `report` as `format` asks. Returns the JSON file written, if any.
 *
 * @example
 * emitReport({ report, format: 'json', reportFile: 'replaykit-report.json', root, shard: { index: 2, count: 3 }, log })
 * // writes <root>/replaykit-report.shard-2-of-3.json and logs where
 */
export function emitReport(input: EmitReportInput): string | undefined {
  if (input.format === 'json') {
    const file = reportPath(input.reportFile, input.root, input.shard)
    writeReportFile(file, input.report)
    input.log(`ReplayKit report written to ${file}`)
    return file
  }
  const text = formatReport(input.report, { format: input.format, color: input.color ?? terminalColors() })
  if (text) input.log(`\n${text}\n`)
  return undefined
}

/**
 * Where the JSON report goes. @note One file per shard (`report.json` becomes
 * `report.shard-2-of-3.json`) so that shards sharing a folder do not overwrite
 * each other; `replaykit report merge` reads them back as one.
 */
export function reportPath(reportFile: string, root: string, shard?: ReportShard): string {
  const file = isAbsolute(reportFile) ? reportFile : join(root, reportFile)
  return shard ? file.replace(/(\.json)?$/, `.shard-${shard.index}-of-${shard.count}.json`) : file
}

/**
 * The entries of each test's final attempt. @note A retried test (Vitest's `retry`, Jest's
 * `jest.retryTimes`) asserts the same run keys again and its entries keep every attempt: a
 * later entry for a key replaces an earlier one, so an attempt that diverged and passed on
 * retry counts once, as the retry's verdict. A `repeats` run has distinct keys and keeps all.
 */
export function finalAttempts(entries: readonly ReplayEntry[]): ReplayEntry[] {
  const last = new Map<string, ReplayEntry>()
  for (const entry of entries) {
    last.delete(entry.key)
    last.set(entry.key, entry)
  }
  return [...last.values()]
}
