/**
 * The replay summary after a Jest run (main process), on `@jest/reporters`.
 * The preset adds it next to Jest's default reporter; a config with its own
 * `reporters` list must name it: `['default', '@replaykit/jest/reporter']`.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, sep } from 'node:path'
import { BaseReporter } from '@jest/reporters'
import { createReport, type ReplayReport, type ReportFormat } from '@replaykit/core'
import {
  checkReporterOptions,
  DEFAULT_REPORT_FILE,
  emitReport,
  finalAttempts,
  findOrphanedRpks,
} from '@replaykit/core/runner'
import { CHANNEL_ENV, type FileReport, receiveFileReports } from './report-channel.js'

export interface ReplayKitReporterOptions {
  /** `summary` (default), `quiet` (failures only) or `json` (to `reportFile`). Overrides the environment options. */
  report?: ReportFormat
  /** File of the json form, relative to the root directory. */
  reportFile?: string
}

/** The parts of Jest's global config read here. */
export interface ReporterGlobalConfig {
  rootDir: string
  watch?: boolean
  watchAll?: boolean
  shard?: { shardIndex: number; shardCount: number } | null
}

export default class ReplayKitReporter extends BaseReporter {
  private readonly folder: string
  private readonly globalConfig: ReporterGlobalConfig
  private readonly options: ReplayKitReporterOptions

  constructor(globalConfig: ReporterGlobalConfig, options?: ReplayKitReporterOptions) {
    super()
    checkReporterOptions(options, 'the @replaykit/jest/reporter options in the Jest config')
    this.globalConfig = globalConfig
    this.options = options ?? {}
    // Set before Jest starts its workers, which inherit the environment.
    this.folder = mkdtempSync(join(tmpdir(), 'replaykit-jest-'))
    process.env[CHANNEL_ENV] = this.folder
  }

  override onRunStart(): void {
    this.clear()
  }

  override onRunComplete(): void {
    const received = receiveFileReports(this.folder)
    this.clear()
    if (!this.globalConfig.watch && !this.globalConfig.watchAll) rmSync(this.folder, { recursive: true, force: true })
    const report = this.collect(received)
    if (!report) return
    const shard = this.globalConfig.shard
    emitReport({
      report,
      format: this.options.report ?? received.find((r) => r.report)?.report ?? ('summary' satisfies ReportFormat),
      reportFile: this.options.reportFile ?? received.find((r) => r.reportFile)?.reportFile ?? DEFAULT_REPORT_FILE,
      root: this.globalConfig.rootDir,
      shard: shard ? { index: shard.shardIndex, count: shard.shardCount } : undefined,
      log: (text) => this.log(text),
    })
  }

  /** The report of the run; undefined when no test file used ReplayKit. */
  collect(received: readonly FileReport[]): ReplayReport | undefined {
    const runs = received.flatMap((r) => finalAttempts(r.runs))
    const files = received.flatMap((r) => (r.file ? [r.file] : []))
    if (runs.length === 0 && files.length === 0) return undefined
    const shard = this.globalConfig.shard
    const root = this.globalConfig.rootDir
    return createReport({
      runner: 'jest',
      runs,
      files,
      // Recordings of deleted test files: listed in the summary (a full update run deletes them).
      orphans: findOrphanedRpks(root).map((file) => relative(root, file).split(sep).join('/')),
      ...(shard ? { shard: `${shard.shardIndex}/${shard.shardCount}` } : {}),
    })
  }

  private clear(): void {
    rmSync(this.folder, { recursive: true, force: true })
  }
}

/** @deprecated Kept for existing imports: `finalAttempts` of `@replaykit/core/runner`. */
export { finalAttempts }
