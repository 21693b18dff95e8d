/**
 * The recordings of one test file, as a test run uses them.
 *
 * Loads the `.rpk` once, hands out the recorded run for a key, counts
 * `capture` calls per test, takes new and re-recorded runs, and saves once
 * when the file's tests are done. Obsolete entries follow vitest's unchecked
 * snapshot keys: every stored key starts unchecked; keys used by an assertion,
 * re-recorded, or belonging to a skipped or failed test are checked off; what
 * is left at the end is obsolete, reported always and removed only when the
 * run re-records (`update: 'all'`).
 *
 * Holds no runner-specific code: the Vitest plugin and the Jest environment
 * drive it from their own lifecycle hooks.
 */
import { rmSync } from 'node:fs'
import { readRpkFile } from '../artifact/read.js'
import type { Body, RpkFile, Run } from '../artifact/types.js'
import { writeRpkFile } from '../artifact/write.js'
import { isReplayKitError } from '../errors.js'
import { inlineBlobs } from './blobs.js'
import { rpkPathFor, sourceFor } from './rpk-path.js'
import { keyBelongsTo } from './run-key.js'
import { screenRuns } from './secret-refusal.js'
import type { UpdateState } from './update-state.js'

export interface ReplayFileOptions {
  update: UpdateState
  /** Where the recordings live. Default: `rpkPathFor(testFile)`. */
  rpkPath?: string
}

/** What `save()` did. */
export interface SaveResult {
  rpkPath: string
  /** The file was (re)written. False when nothing changed, in CI, or nothing was recorded. */
  written: boolean
  /** The file was deleted because an update run removed its last entry. */
  deleted: boolean
  /** Keys recorded for the first time. */
  added: string[]
  /** Keys re-recorded over an existing entry. */
  updated: string[]
  /** Obsolete keys removed from the file (update runs only). */
  removed: string[]
  /** Keys no test used in this run (reported; removed only on update runs). */
  obsolete: string[]
  /** The existing file could not be loaded and was replaced on an explicit update run. */
  replacedUnreadable?: string
  /** Why nothing could be written (the existing file is unreadable, or a secret was found). */
  error?: unknown
  /** Recorded keys that were not written because of `error`: the run should fail loudly. */
  unsaved: string[]
}

// Load failures an explicit re-record may overwrite: the content is lost anyway and the user asked for
// new recordings. A file from a newer or older schema is never replaced: it needs an upgrade or a migration.
const REPLACEABLE = new Set(['RPK_INVALID_JSON', 'RPK_TRUNCATED', 'RPK_SCHEMA', 'RPK_HASH_MISMATCH', 'RPK_NOT_JSON'])

interface Counter {
  attempt: unknown
  count: number
}

export class ReplayFile {
  readonly testFile: string
  readonly rpkPath: string
  readonly update: UpdateState
  private state: { file: RpkFile | undefined } | { error: unknown } | undefined
  private readonly checked = new Set<string>()
  private readonly pending = new Map<string, Run>()
  private readonly counters = new Map<string, Counter>()

  constructor(testFile: string, options: ReplayFileOptions) {
    this.testFile = testFile
    this.rpkPath = options.rpkPath ?? rpkPathFor(testFile)
    this.update = options.update
  }

  /**
   * The next 1-based run index for a capture in the test `name`. A new
   * `attempt` (a retry or repeat of the test) starts the count again and drops
   * what the earlier attempt recorded, so a retried test records its runs once.
   */
  nextIndex(name: string, attempt?: unknown): number {
    const counter = this.counters.get(name)
    if (!counter || counter.attempt !== attempt) {
      if (counter) this.forgetPending(name)
      this.counters.set(name, { attempt, count: 1 })
      return 1
    }
    counter.count++
    return counter.count
  }

  /** The recorded run stored under `key`, with blob references inlined. Throws when the file cannot be loaded. */
  recorded(key: string): Run | undefined {
    const file = this.load()
    const run = file?.runs[key]
    return run ? inlineBlobs(run, file.blobs) : undefined
  }

  /** True when the file on disk holds a run under `key` (false when it cannot be loaded). */
  has(key: string): boolean {
    return this.storedKeys().includes(key)
  }

  /** Check off a key: it belongs to a run this test run used. */
  check(key: string): void {
    this.checked.add(key)
  }

  /** Check off every key of a test that was skipped or failed: its entries are not obsolete. */
  checkTest(name: string): void {
    for (const key of this.storedKeys()) if (keyBelongsTo(key, name)) this.checked.add(key)
  }

  /** Take a new or re-recorded run, written by `save()`. Checks its key off. */
  store(key: string, run: Run): void {
    this.pending.set(key, run)
    this.checked.add(key)
  }

  /** Stored keys no test has used so far (all of them are obsolete at the end of the file). */
  obsolete(): string[] {
    return this.storedKeys()
      .filter((key) => !this.checked.has(key))
      .sort()
  }

  /**
   * Write what this test run recorded, once, when the file's tests are done.
   * In CI (`update: 'none'`) nothing is written. Obsolete entries are removed
   * only when re-recording (`update: 'all'`); the file is deleted when that
   * leaves it empty. Never throws: a failure comes back in `error`.
   */
  save(): SaveResult {
    const result: SaveResult = {
      rpkPath: this.rpkPath,
      written: false,
      deleted: false,
      added: [],
      updated: [],
      removed: [],
      obsolete: [],
      unsaved: [],
    }
    let existing: RpkFile | undefined
    try {
      existing = this.load()
    } catch (error) {
      if (this.update !== 'all' || !isReplayKitError(error) || !REPLACEABLE.has(error.code)) {
        result.error = error
        if (this.update !== 'none') result.unsaved = [...this.pending.keys()].sort()
        return result
      }
      result.replacedUnreadable = error.message
    }
    result.obsolete = this.obsolete()
    if (this.update === 'none') return result

    const runs: Record<string, Run> = { ...(existing?.runs ?? {}) }
    // A run that still holds something like a credential is refused alone; the others are written.
    const screened = screenRuns(this.pending, this.rpkPath)
    if (screened.error) Object.assign(result, { error: screened.error, unsaved: screened.refused })
    for (const [key, run] of screened.kept) {
      if (runs[key]) result.updated.push(key)
      else result.added.push(key)
      runs[key] = run
    }
    if (this.update === 'all') {
      for (const key of result.obsolete) delete runs[key]
      result.removed = result.obsolete
    }
    const changed = this.pending.size > 0 || result.removed.length > 0 || result.replacedUnreadable !== undefined
    if (!changed) return result
    try {
      if (result.replacedUnreadable !== undefined) rmSync(this.rpkPath, { force: true })
      if (Object.keys(runs).length === 0) {
        rmSync(this.rpkPath, { force: true })
        result.deleted = existing !== undefined || result.replacedUnreadable !== undefined
        return result
      }
      const blobs = keepReferenced(existing?.blobs, runs)
      const write = writeRpkFile(this.rpkPath, {
        runs,
        ...(blobs ? { blobs } : {}),
        source: sourceFor(this.rpkPath, this.testFile),
      })
      result.written = write.written
    } catch (error) {
      result.error = error
      result.unsaved = [...this.pending.keys()].sort()
      result.added = []
      result.updated = []
      result.removed = []
    }
    return result
  }

  private load(): RpkFile | undefined {
    if (!this.state) {
      try {
        this.state = { file: readRpkFile(this.rpkPath) }
      } catch (error) {
        this.state = { error }
      }
    }
    if ('error' in this.state) throw this.state.error
    return this.state.file
  }

  private storedKeys(): string[] {
    try {
      return Object.keys(this.load()?.runs ?? {})
    } catch {
      return []
    }
  }

  private forgetPending(name: string): void {
    for (const key of [...this.pending.keys()]) if (keyBelongsTo(key, name)) this.pending.delete(key)
  }
}

/** The stored blobs some run still points at; the rest would be dead weight in the file. */
function keepReferenced(
  blobs: Record<string, Body> | undefined,
  runs: Record<string, Run>,
): Record<string, Body> | undefined {
  if (!blobs) return undefined
  const text = JSON.stringify(runs)
  const kept: Record<string, Body> = {}
  for (const [hash, body] of Object.entries(blobs)) if (text.includes(JSON.stringify(hash))) kept[hash] = body
  return Object.keys(kept).length > 0 ? kept : undefined
}
