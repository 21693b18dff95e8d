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
 * Saving never loses a run: under a lock on the file (other processes and
 * worker threads may record into it too) the file is read again and this run's
 * new and re-recorded entries are merged into what is there now. A file that
 * cannot be loaded, or a symlink, is never replaced silently (see `refusal`).
 *
 * Holds no runner-specific code: the Vitest plugin and the Jest environment
 * drive it from their own lifecycle hooks.
 */
import { rmSync } from 'node:fs'
import { readRpkFile } from '../artifact/read.js'
import type { Body, RpkFile, Run } from '../artifact/types.js'
import { assertNotSymlink, writeRpkFile } from '../artifact/write.js'
import { inlineBlobs } from './blobs.js'
import { type LockOptions, withFileLock } from './file-lock.js'
import { refusalToWrite, replaceAllowed } from './refusal.js'
import { rpkPathFor, sourceFor } from './rpk-path.js'
import { keyBelongsTo } from './run-key.js'
import { screenRuns } from './secret-refusal.js'
import { resolveReplaceInvalid, type UpdateState } from './update-state.js'

export interface ReplayFileOptions {
  update: UpdateState
  /** Where the recordings live. Default: `rpkPathFor(testFile)`. */
  rpkPath?: string
  /**
   * An update run (`update: 'all'`) may replace a file that cannot be loaded.
   * Default: `REPLAYKIT_REPLACE_INVALID` (set by `replaykit test --replace-invalid`).
   */
  replaceInvalid?: boolean
  /** Waiting for other writers of the same file. */
  lock?: LockOptions
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
  /** Why the existing file could not be loaded, when `--replace-invalid` replaced it. */
  replacedUnreadable?: string
  /** Why nothing could be written (the existing file is unreadable, or a secret was found). */
  error?: unknown
  /** Recorded keys that were not written because of `error`: the run should fail loudly. */
  unsaved: string[]
}

interface Counter {
  attempt: unknown
  count: number
}

export class ReplayFile {
  readonly testFile: string
  readonly rpkPath: string
  readonly update: UpdateState
  readonly replaceInvalid: boolean
  private readonly lock: LockOptions | undefined
  private state: { file: RpkFile | undefined } | { error: unknown } | undefined
  private readonly checked = new Set<string>()
  private readonly pending = new Map<string, Run>()
  private readonly counters = new Map<string, Counter>()

  constructor(testFile: string, options: ReplayFileOptions) {
    this.testFile = testFile
    this.rpkPath = options.rpkPath ?? rpkPathFor(testFile)
    this.update = options.update
    this.replaceInvalid = options.replaceInvalid ?? resolveReplaceInvalid()
    this.lock = options.lock
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

  /**
   * Throws RPK_WRITE_REFUSED when a run recorded now could not be saved: the
   * file cannot be loaded (and this is not an update run with `--replace-invalid`)
   * or it is a symlink. Called before a capture records, so that no live (paid)
   * call is made for a recording that would be thrown away.
   */
  assertWritable(): void {
    if (this.update === 'none') return
    assertNotSymlink(this.rpkPath)
    try {
      this.load()
    } catch (error) {
      if (!replaceAllowed(error, this)) throw refusalToWrite(error, this)
    }
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
   * leaves it empty. Never throws: a failure comes back in `error`, with the
   * keys it kept from being written in `unsaved`.
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
    let loadError: unknown
    try {
      this.load()
    } catch (error) {
      loadError = error
    }
    result.obsolete = this.obsolete()
    const runs = this.update === 'none' ? new Map<string, Run>() : this.runsToWrite(result)
    const removing = this.update === 'all' ? result.obsolete : []
    if (runs.size === 0 && removing.length === 0) {
      if (loadError !== undefined) result.error = loadError
      return result
    }
    try {
      // @note Refused before locking when already known: a refusal leaves even the folder untouched.
      if (loadError !== undefined && !replaceAllowed(loadError, this)) throw refusalToWrite(loadError, this, runs.size)
      assertNotSymlink(this.rpkPath)
      withFileLock(this.rpkPath, () => this.merge(result, runs, removing), this.lock)
    } catch (error) {
      Object.assign(result, { written: false, deleted: false, added: [], updated: [], removed: [] })
      result.error = error
      result.unsaved = [...new Set([...result.unsaved, ...runs.keys()])].sort()
    }
    return result
  }

  /**
   * The runs this test run writes: its new and re-recorded ones.
   * @note The one place they are finalized before the lock and the merge: a check per run goes
   * here, and a run it holds back goes to `result.unsaved` with the reason in `result.error`.
   */
  private runsToWrite(result: SaveResult): Map<string, Run> {
    // A run that still holds something like a credential is refused alone; the others are written.
    const screened = screenRuns(this.pending, this.rpkPath)
    if (screened.error) Object.assign(result, { error: screened.error, unsaved: screened.refused })
    return screened.kept
  }

  /**
   * Under the lock: read the file as it is now (another process may have
   * written it since this one loaded it), merge, write or delete.
   */
  private merge(result: SaveResult, pending: Map<string, Run>, removing: string[]): void {
    assertNotSymlink(this.rpkPath)
    let current: RpkFile | undefined
    try {
      current = readRpkFile(this.rpkPath)
    } catch (error) {
      if (!replaceAllowed(error, this)) throw refusalToWrite(error, this, pending.size)
      result.replacedUnreadable = error instanceof Error ? error.message : String(error)
    }
    // @note A Map, not an object: a run key is user text and may be `__proto__`.
    const runs = new Map(Object.entries(current?.runs ?? {}))
    for (const [key, run] of pending) {
      ;(runs.has(key) ? result.updated : result.added).push(key)
      runs.set(key, run)
    }
    for (const key of removing) {
      if (runs.delete(key)) result.removed.push(key)
    }
    if (runs.size === 0) {
      if (current === undefined && result.replacedUnreadable === undefined) return
      rmSync(this.rpkPath, { force: true })
      result.deleted = true
      return
    }
    const merged = Object.fromEntries(runs)
    const blobs = keepReferenced(current?.blobs, merged)
    const write = writeRpkFile(
      this.rpkPath,
      { runs: merged, ...(blobs ? { blobs } : {}), source: sourceFor(this.rpkPath, this.testFile) },
      // @note Every new run went through screenRuns (runsToWrite); the others were read from this file.
      { replaceUnreadable: result.replacedUnreadable !== undefined, screened: true },
    )
    result.written = write.written
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
