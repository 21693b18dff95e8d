/**
 * The first store: the `.rpk` itself. Every write reads the file again under
 * its lock (another process may have written it since), merges, and replaces
 * it atomically (artifact/write.ts: canonical text, secret scan, temp file and
 * rename, skipped when the content is unchanged). An append costs a whole
 * rewrite here; a long capture that saves as it goes uses the JournalStore.
 * A journal found beside the file is folded in before any write, so no write
 * of this store loses what a journal store wrote.
 */
import { rmSync } from 'node:fs'
import { readRpkFile } from '../artifact/read.js'
import type { RpkFile, Run, Step } from '../artifact/types.js'
import {
  assertNoSecrets,
  assertNotSymlink,
  atomicWrite,
  buildRpk,
  type RpkContent,
  serializeRpk,
  writeRpkFile,
} from '../artifact/write.js'
import { writeFailed } from '../errors/classes.js'
import { isReplayKitError } from '../errors.js'
import { type LockOptions, withFileLock } from './file-lock.js'
import { appendToRun } from './journal-apply.js'
import { contentWith, emitWarning, foldJournal, journalEntries } from './journal-compact.js'
import { journalPathFor } from './journal-format.js'
import type { RecordingStore, Rewrite, RewriteOptions, StoredState, StoreWarning, StoreWriteResult } from './port.js'

export interface RpkStoreOptions {
  /** Waiting for other writers of the same file. */
  lock?: LockOptions
  /** Called for each repair of a journal left beside the file (a torn last line cut, a stale journal removed). Default: `process.emitWarning`. */
  onWarning?: (warning: StoreWarning) => void
}

export class RpkStore implements RecordingStore {
  readonly path: string
  protected readonly lock: LockOptions | undefined
  protected readonly onWarning: (warning: StoreWarning) => void

  constructor(path: string, options: RpkStoreOptions = {}) {
    this.path = path
    this.lock = options.lock
    this.onWarning = options.onWarning ?? emitWarning
  }

  read(): RpkFile | undefined {
    return readRpkFile(this.path)
  }

  put(key: string, run: Run): StoreWriteResult {
    return this.rewrite((stored) => withRun(stored, key, () => run))
  }

  append(key: string, steps: readonly Step[]): StoreWriteResult {
    return this.rewrite((stored) => withRun(stored, key, (current) => appendToRun(current, key, steps)))
  }

  /** Every write is in the `.rpk` already. */
  save(): StoreWriteResult {
    return { written: false, deleted: false }
  }

  rewrite(update: Rewrite, options: RewriteOptions = {}): StoreWriteResult {
    assertNotSymlink(this.path)
    return writing(this.path, () => this.wholeFileLocked(() => this.rewriteLocked(update, options)))
  }

  /** A journal beside the file (a capture killed before it compacted) is applied on top, then removed. */
  replace(rpk: RpkFile): void {
    assertNotSymlink(this.path)
    const locked = (): void => {
      const entries = journalEntries(this.path, this.onWarning)
      const text = serializeRpk(entries.length === 0 ? rpk : buildRpk(contentWith(rpk, entries)))
      assertNoSecrets(text, this.path)
      atomicWrite(this.path, text)
      rmSync(journalPathFor(this.path), { force: true })
    }
    writing(this.path, () => this.wholeFileLocked(locked))
  }

  /** Run a whole-file write under the `.rpk`'s lock (a journal store holding the lock runs it under that). */
  protected wholeFileLocked<T>(fn: () => T): T {
    return withFileLock(this.path, fn, this.lock)
  }

  assertWritable(): void {
    assertNotSymlink(this.path)
  }

  /** The rewrite itself; the caller holds the lock. */
  protected rewriteLocked(update: Rewrite, options: RewriteOptions): StoreWriteResult {
    assertNotSymlink(this.path)
    // Start from everything written: a journal beside the file is folded in first.
    foldJournal(this.path, this.onWarning)
    let stored: StoredState
    try {
      stored = { file: readRpkFile(this.path) }
    } catch (error) {
      stored = { error }
    }
    // Taken before the update, which may build on the loaded file: writeRpkFile compares against it.
    const existing =
      stored.error === undefined
        ? stored.file
          ? { contentHash: stored.file.contentHash, schemaVersion: stored.file.schemaVersion }
          : null
        : undefined
    const next = update(stored)
    if (next === undefined) return { written: false, deleted: false }
    if (next === null) {
      rmSync(this.path, { force: true })
      return { written: false, deleted: true }
    }
    // @note Content over an unloadable file means the update decided to replace it (it throws otherwise).
    const write = writeRpkFile(this.path, next, {
      replaceUnreadable: stored.error !== undefined,
      screened: options.screened === true,
      // Loaded just above, under the same lock: not read a second time.
      existing,
    })
    return { written: write.written, deleted: false }
  }
}

/**
 * Run a write; a failure of the file system itself (a read-only folder, a full
 * disk, a file where a folder should be) becomes RPK_WRITE_FAILED naming `file`.
 * Typed errors (a refusal, a lock held too long, a load error) pass as they are.
 */
export function writing<T>(file: string, write: () => T): T {
  try {
    return write()
  } catch (error) {
    throw isReplayKitError(error) ? error : writeFailed(file, 'the recording', error)
  }
}

/** The stored content with the run `key` changed; the other runs, blobs and source kept. A file that does not load is kept as it is. */
function withRun(stored: StoredState, key: string, change: (run: Run | undefined) => Run): RpkContent {
  if (stored.error !== undefined) throw stored.error
  const runs = new Map(Object.entries(stored.file?.runs ?? {}))
  runs.set(key, change(runs.get(key)))
  const { blobs, meta } = stored.file ?? {}
  return {
    runs: Object.fromEntries(runs),
    ...(blobs ? { blobs } : {}),
    ...(meta?.source !== undefined ? { source: meta.source } : {}),
    ...(meta?.capture !== undefined ? { capture: meta.capture } : {}),
  }
}
