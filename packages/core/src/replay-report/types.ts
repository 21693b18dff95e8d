/**
 * The replay report: what one test run did with its recordings. Its JSON form
 * is a stable, documented schema (docs/reports.md); the summary and quiet
 * forms are printed from the same object.
 */
import type { JsonValue } from '../artifact/types.js'
import type { DivergenceKind, DivergenceSection } from '../diff/types.js'
import type { Mode } from '../engine/types.js'

/** Identifies the schema of the JSON report. Bumped only for incompatible changes. */
export const REPORT_SCHEMA = 'replaykit-report/1'

/** Status of one assertion (see `ReplayStatus`). */
export type ReplayEntryStatus = 'recorded' | 'updated' | 'replayed' | 'diverged' | 'missing' | 'slow'

/** The first divergence of a failed run, in short. */
export interface ReplayEntryDivergence {
  /** 1-based step, 0 for the outcome and the drawn values. */
  step: number
  kind: DivergenceKind
  section: DivergenceSection
  /** JSON path of the first difference. */
  path: string
  expected?: JsonValue
  actual?: JsonValue
  /** All differing positions (steps, outcome, drawn values). */
  differences: number
}

/** One `toMatchReplay` assertion. */
export interface ReplayEntry {
  /** Test file, relative to the project root, `/`-separated. */
  file: string
  /** Full test name (or the run's given name). */
  test: string
  /** Key of the run in the `.rpk`: `"<test> <counter>"`. */
  key: string
  status: ReplayEntryStatus
  /** The mode the assertion was configured with. */
  mode: Mode
  /** Whether the run was written to the `.rpk` (recorded or updated, and not in CI). */
  stored: boolean
  /** The code's own time in this run (network excluded), ms. */
  ownMs?: number
  /** The recorded own time, ms (replays only). */
  recordedOwnMs?: number
  /** `ownMs / recordedOwnMs`, when both are known and the recorded one is not 0. */
  ratio?: number
  /** Requests that went live in hybrid mode (not in the recording). */
  liveRequests?: Array<{ method: string; url: string }>
  divergence?: ReplayEntryDivergence
  /** The failure message without colours, or a note (e.g. about live requests). */
  message?: string
  /** Warnings about a newly recorded run: failed calls (no response, 5xx) stored as its baseline. */
  warnings?: string[]
}

/** One test file's `.rpk` at the end of the run. */
export interface ReplayFileEntry {
  file: string
  /** The `.rpk`, relative to the project root. */
  rpk: string
  written: boolean
  deleted: boolean
  /** Keys no test used (not removed unless the run re-recorded). */
  obsolete: string[]
  /** Obsolete keys removed by a re-recording run. */
  removed: string[]
  /** Why the file could not be saved. */
  error?: string
  /** Run names several tests of the file captured under (numbered on: `name 1`, `name 2`). */
  duplicates?: string[]
  /** Runs captured but never passed to `toMatchReplay()`, by key. */
  unasserted?: string[]
  /** Re-recorded keys left as stored: same steps and outcome (timings and draws aside). */
  unchanged?: string[]
}

export interface ReplayTotals {
  assertions: number
  recorded: number
  updated: number
  replayed: number
  diverged: number
  missing: number
  slow: number
  /** Obsolete keys over all files (removed ones included). */
  obsolete: number
  /** Test files with a `.rpk` or a capture. */
  files: number
}

/** The whole report, as written by the `json` form. */
export interface ReplayReport {
  schema: typeof REPORT_SCHEMA
  runner: 'vitest' | 'jest' | 'merged'
  /** ISO time the report was made. */
  createdAt: string
  /** `"index/count"` when the run was one shard of several. */
  shard?: string
  /** How many reports were merged into this one (merged reports only). */
  merged?: number
  totals: ReplayTotals
  files: ReplayFileEntry[]
  /** `.rpk` files whose test file is gone (relative to the root); a full `--update-replays=all` run deletes them. */
  orphans?: string[]
  runs: ReplayEntry[]
  /** The slowest runs by own time, at most 5. */
  slowest: Array<Pick<ReplayEntry, 'file' | 'key' | 'ownMs' | 'recordedOwnMs' | 'ratio'>>
}

/** The three forms of the report. */
export type ReportFormat = 'summary' | 'quiet' | 'json'
