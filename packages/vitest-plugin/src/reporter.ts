/**
 * The replay summary after a Vitest run, in the main process: gathers the
 * entries the matchers left on each test's `task.meta` and the `.rpk` entry the
 * setup file left on each file, then prints the summary or quiet form, or
 * writes the json form.
 */
import { relative, sep } from 'node:path'
import {
  createReport,
  type ReplayEntry,
  type ReplayFileEntry,
  type ReplayReport,
  type ReportFormat,
} from '@replaykit/core'
import { checkReporterOptions, emitReport, finalAttempts, findOrphanedRpks } from '@replaykit/core/runner'
import type { Reporter, TestModule, Vitest } from 'vitest/node'
import { META_RUNS } from './matcher.js'
import { META_FILE } from './setup-keys.js'

export interface ReplayKitReporterOptions {
  report?: ReportFormat
  /** File of the json form, relative to the root. */
  reportFile?: string
}

interface ModuleTree {
  meta(): Record<string, unknown>
  children: {
    allTests(): Iterable<{ meta(): Record<string, unknown>; diagnostic(): { retryCount: number } | undefined }>
  }
}

/** Vitest reporter for the replay summary. The plugin adds it; add it yourself only without the plugin. */
export class ReplayKitReporter implements Reporter {
  private vitest?: Vitest
  private readonly format: ReportFormat
  private readonly reportFile: string

  constructor(options: ReplayKitReporterOptions = {}) {
    checkReporterOptions(options, 'ReplayKitReporter options')
    this.format = options.report ?? 'summary'
    this.reportFile = options.reportFile ?? 'replaykit-report.json'
  }

  onInit(vitest: Vitest): void {
    this.vitest = vitest
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const report = this.collect(testModules)
    if (!report) return
    emitReport({
      report,
      format: this.format,
      reportFile: this.reportFile,
      root: this.vitest?.config.root ?? process.cwd(),
      shard: this.shardOf(),
      log: (text) => (this.vitest ? this.vitest.logger.log(text) : console.log(text)),
    })
  }

  /** The report of this run; undefined when no test file used ReplayKit. */
  collect(testModules: ReadonlyArray<TestModule>): ReplayReport | undefined {
    const runs: ReplayEntry[] = []
    const files: ReplayFileEntry[] = []
    for (const module of testModules as unknown as ModuleTree[]) {
      const file = module.meta()[META_FILE] as ReplayFileEntry | undefined
      if (file) files.push(file)
      for (const test of module.children.allTests()) {
        const entries = test.meta()[META_RUNS] as ReplayEntry[] | undefined
        // Only a retried test drops earlier attempts: a `repeats` run keeps every verdict.
        if (entries) runs.push(...((test.diagnostic()?.retryCount ?? 0) > 0 ? finalAttempts(entries) : entries))
      }
    }
    if (runs.length === 0 && files.length === 0) return undefined
    const shard = this.shard()
    const root = this.vitest?.config.root ?? process.cwd()
    // Recordings of deleted test files: listed in the summary (a full update run deletes them).
    const orphans = findOrphanedRpks(root).map((file) => relative(root, file).split(sep).join('/'))
    return createReport({ runner: 'vitest', runs, files, orphans, ...(shard ? { shard } : {}) })
  }

  private shard(): string | undefined {
    const shard = this.shardOf()
    return shard ? `${shard.index}/${shard.count}` : undefined
  }

  private shardOf(): { index: number; count: number } | undefined {
    return (this.vitest?.config as { shard?: { index: number; count: number } } | undefined)?.shard
  }
}

/** @deprecated Kept for existing imports: the same as `finalAttempts` of `@replaykit/core/runner`. */
export const finalAttempt: (entries: readonly ReplayEntry[]) => ReplayEntry[] = finalAttempts
