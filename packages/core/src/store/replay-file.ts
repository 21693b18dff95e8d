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

import type { Body, RpkFile, Run } from '../artifact/types.js'
import type { RpkContent } from '../artifact/write.js'
import { compareRuns } from '../diff/compare-runs.js'
import { runHookSync } from '../plugins/active.js'
import { inlineBlobs } from './blobs.js'
import type { LockOptions } from './file-lock.js'
import type { RecordingStore, StoredState } from './port.js'
import { refusalToWrite, replaceAllowed } from './refusal.js'
import { rpkPathFor, sourceFor } from './rpk-path.js'
import { RpkStore } from './rpk-store.js'
import { keyBelongsTo, runKey } from './run-key.js'
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
  /** Where the runs are read and written. Default: the `.rpk` itself (`new RpkStore(rpkPath, { lock })`). */
  store?: RecordingStore
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
  /** Re-recorded keys left as stored: their steps, outcome and name equal the stored run (timing and draws aside). */
  unchanged: string[]
  /** Keys of runs captured but never passed to `toMatchReplay`. */
  unasserted: string[]
  /** Run names several tests of this file captured under: their runs are numbered on, in test order. */
  duplicates: string[]
  /** Keys no test used in this run (reported; removed only on update runs). */
  obsolete: string[]
  /** Why the existing file could not be loaded, when `--replace-invalid` replaced it. */
  replacedUnreadable?: string
  /** Why nothing could be written (the existing file is unreadable, or a secret was found). */
  error?: unknown
  /** Recorded keys that were not written because of `error`: the run should fail loudly. */
  unsaved: string[]
}

/** The captures of one run name in this test file. */
interface Counter {
  /** The index the next capture not yet numbered gets. */
  next: number
  /** Per test (its identity): the attempt counting now, the indices it was given in order, and its captures so far. */
  tests: Map<unknown, { attempt: unknown; indices: number[]; count: number }>
}

export class ReplayFile {
  readonly testFile: string
  readonly rpkPath: string
  readonly update: UpdateState
  readonly replaceInvalid: boolean
  private readonly recordings: RecordingStore
  private state: { file: RpkFile | undefined } | { error: unknown } | undefined
  private readonly checked = new Set<string>()
  private readonly pending = new Map<string, Run>()
  private readonly counters = new Map<string, Counter>()
  private readonly duplicates: string[] = []
  private readonly unasserted = new Set<string>()

  constructor(testFile: string, options: ReplayFileOptions) {
    this.testFile = testFile
    this.rpkPath = options.rpkPath ?? rpkPathFor(testFile)
    this.update = options.update
    this.replaceInvalid = options.replaceInvalid ?? resolveReplaceInvalid()
    this.recordings = options.store ?? new RpkStore(this.rpkPath, { lock: options.lock })
  }

  /**
   * The next 1-based run index for a capture in the test `test` under the run
   * name `name`. Another test with the same name continues the count (Vitest
   * numbers snapshots of same-named tests that way), so the two never share a
   * key; the name is listed in `duplicateNames()`. A new `attempt` of the same
   * test (a retry or repeat) numbers its captures as the first attempt did and
   * drops what the earlier attempt recorded, so a retried test records its runs once.
   */
  nextIndex(name: string, attempt?: unknown, test?: unknown): number {
    let counter = this.counters.get(name)
    if (!counter) {
      counter = { next: 1, tests: new Map() }
      this.counters.set(name, counter)
    }
    let own = counter.tests.get(test)
    if (!own) {
      own = { attempt, indices: [], count: 0 }
      counter.tests.set(test, own)
      if (counter.tests.size === 2) this.duplicates.push(name)
    } else if (own.attempt !== attempt) {
      for (const index of own.indices) this.pending.delete(runKey(name, index))
      own.attempt = attempt
      own.count = 0
    }
    // @note A test's n-th capture keeps its number over retries; a new one takes the next number no
    // test has, so even concurrent tests sharing a name never share a key.
    let index = own.indices[own.count]
    if (index === undefined) {
      index = counter.next++
      own.indices.push(index)
    }
    own.count++
    return index
  }

  /** Run names that several tests of this file captured under, in the order found. */
  duplicateNames(): string[] {
    return [...this.duplicates]
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

  /** A run captured under `key` was never passed to `toMatchReplay`: listed in the save result. It is not obsolete. */
  markUnasserted(key: string): void {
    this.unasserted.add(key)
    this.checked.add(key)
  }

  /** Undo `check`: the key's run was replaced under another key (a pre-escaping one, see run-key). */
  uncheck(key: string): void {
    if (!this.pending.has(key)) this.checked.delete(key)
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
    this.recordings.assertWritable()
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
      unchanged: [],
      duplicates: this.duplicateNames(),
      unasserted: [...this.unasserted].sort(),
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
      const write = this.recordings.rewrite((stored) => this.merge(stored, result, runs, removing), {
        // @note Every new run went through screenRuns (runsToWrite); the others were read from this file.
        screened: true,
      })
      result.written = write.written
      result.deleted = write.deleted
    } catch (error) {
      Object.assign(result, { written: false, deleted: false, added: [], updated: [], removed: [] })
      result.error = error
      result.unsaved = [...new Set([...result.unsaved, ...runs.keys()])].sort()
    }
    return result
  }

  /**
   * The runs this test run writes: its new and re-recorded ones, less the
   * re-recorded runs whose stable content equals the stored run (listed in
   * `result.unchanged`): a re-recording of the same traffic leaves the file as it was.
   * @note The one place they are finalized before the lock and the merge: a check per run goes
   * here, and a run it holds back goes to `result.unsaved` with the reason in `result.error`.
   */
  private runsToWrite(result: SaveResult): Map<string, Run> {
    const changed = new Map<string, Run>()
    for (const [key, pending] of this.pending) {
      // A plugin's beforeWrite may change the run (a redaction policy); before the secret scan sees it.
      let run: Run
      try {
        run = runHookSync('beforeWrite', { key, run: pending, file: this.rpkPath }, 'run').run
      } catch (error) {
        // save() never throws: the run is held back and the plugin's error reported.
        Object.assign(result, { error, unsaved: [...result.unsaved, key] })
        continue
      }
      const stored = this.storedRun(key)
      if (stored && sameStableContent(stored, run)) result.unchanged.push(key)
      else changed.set(key, run)
    }
    // A run that still holds something like a credential is refused alone; the others are written.
    const screened = screenRuns(changed, this.rpkPath)
    if (screened.error)
      Object.assign(result, { error: screened.error, unsaved: [...result.unsaved, ...screened.refused] })
    return screened.kept
  }

  private storedRun(key: string): Run | undefined {
    try {
      return this.recorded(key)
    } catch {
      return undefined
    }
  }

  /**
   * Under the lock, from the file as it is now (another process may have
   * written it since this one loaded it): the merged content, `null` to delete
   * the file, or undefined to leave it.
   */
  private merge(
    stored: StoredState,
    result: SaveResult,
    pending: Map<string, Run>,
    removing: string[],
  ): RpkContent | null | undefined {
    const current = stored.file
    if (stored.error !== undefined) {
      if (!replaceAllowed(stored.error, this)) throw refusalToWrite(stored.error, this, pending.size)
      result.replacedUnreadable = stored.error instanceof Error ? stored.error.message : String(stored.error)
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
    if (runs.size === 0) return current === undefined && result.replacedUnreadable === undefined ? undefined : null
    const merged = Object.fromEntries(runs)
    const blobs = keepReferenced(current?.blobs, merged)
    return { runs: merged, ...(blobs ? { blobs } : {}), source: sourceFor(this.rpkPath, this.testFile) }
  }

  private load(): RpkFile | undefined {
    if (!this.state) {
      try {
        this.state = { file: this.recordings.read() }
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
}

/**
 * True when a re-recorded run says what the stored one says: the same steps
 * (compared without their volatile parts: timings, stream pacing) and outcome.
 *
 * @note The drawn values are compared by source only: when the steps and the
 * outcome are equal, the stored values reproduce them as well as the new ones
 * (the SDK's own time and random values, retry jitter, ids), and keeping them
 * spares the file a diff.
 */
function sameStableContent(stored: Run, run: Run): boolean {
  if (stored.name !== run.name || stored.index !== run.index) return false
  const sources = (r: Run): string => (r.drawn ?? []).map((d) => d.source).join(',')
  if (sources(stored) !== sources(run)) return false
  const { drawn: _a, ...a } = stored
  const { drawn: _b, ...b } = run
  return compareRuns(a, b).equal
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
