/**
 * Worker → reporter data for Jest, through files: Jest has no channel like
 * Vitest's `task.meta`. The reporter (main process) makes a folder and names
 * it in an environment variable before the workers start; each test file's
 * environment writes one JSON file there at teardown.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ReplayEntry, ReplayFileEntry, ReportFormat } from '@replaykit/core'

/** Names the folder; unset when no ReplayKit reporter runs (then nothing is written). */
export const CHANNEL_ENV = 'REPLAYKIT_JEST_REPORT_DIR'

/** What one test file sends. */
export interface FileReport {
  testFile: string
  runs: ReplayEntry[]
  file?: ReplayFileEntry
  /** The report form asked for in `testEnvironmentOptions.replaykit`. */
  report?: ReportFormat
  reportFile?: string
}

/** Write a test file's data, if a reporter listens. */
export function sendFileReport(data: FileReport, env: NodeJS.ProcessEnv = process.env): void {
  const folder = env[CHANNEL_ENV]
  if (!folder) return
  mkdirSync(folder, { recursive: true })
  const name = createHash('sha1').update(data.testFile).digest('hex').slice(0, 16)
  writeFileSync(join(folder, `${name}-${process.pid}.json`), JSON.stringify(data))
}

/** Read every file the workers wrote. */
export function receiveFileReports(folder: string): FileReport[] {
  let names: string[]
  try {
    names = readdirSync(folder).filter((name) => name.endsWith('.json'))
  } catch {
    return []
  }
  return names.sort().map((name) => JSON.parse(readFileSync(join(folder, name), 'utf8')) as FileReport)
}
