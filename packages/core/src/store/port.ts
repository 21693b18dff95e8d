/**
 * The store port: where the recordings of one `.rpk` live and how they are
 * written. The policy above it (the test file's session in replay-file.ts, the
 * CLI's record, rehash and migrate, the gateway) decides what to write; a store
 * only reads, writes and locks.
 *
 * Two stores implement it: `RpkStore` (the `.rpk` itself, every write a merge
 * under the file lock and an atomic replace) and `JournalStore` (completed
 * exchanges appended to `<name>.rpk.journal` in O(1), compacted into the `.rpk`
 * by `save()`). A custom store implements the same interface.
 *
 * @see https://github.com/vitest-dev/vitest/blob/main/packages/snapshot/src/types/environment.ts the model (SnapshotEnvironment)
 * @see https://github.com/Netflix/pollyjs/tree/master/packages/@pollyjs/persister the other model (Polly's persister)
 */
import type { RpkFile, Run, Step } from '../artifact/types.js'
import type { RpkContent } from '../artifact/write.js'

/** The recording as it is on disk when a rewrite starts: loaded, absent, or not loadable. */
export type StoredState = { file: RpkFile | undefined; error?: undefined } | { file?: undefined; error: unknown }

/**
 * What a rewrite writes, decided from the stored state under the lock:
 * content to write, `null` to delete the file, `undefined` to leave it as it is.
 * Returning content over a state with an `error` replaces the unloadable file:
 * the caller decided it may (`--replace-invalid`); otherwise it throws.
 */
export type Rewrite = (stored: StoredState) => RpkContent | null | undefined

/** What a write did. */
export interface StoreWriteResult {
  /** The `.rpk` was (re)written. False when the content was unchanged. */
  written: boolean
  /** The `.rpk` was deleted. */
  deleted: boolean
}

export interface RewriteOptions {
  /** The caller screened every new run for secrets itself (store/secret-refusal.ts): skip the whole-file scan. */
  screened?: boolean
}

/** Something a store noticed and repaired; never a failure. */
export interface StoreWarning {
  /** `RPK_JOURNAL_TORN`: a torn last journal line was cut; `RPK_JOURNAL_STALE`: a journal already compacted was removed. */
  code: StoreWarningCode
  message: string
  file: string
}

export type StoreWarningCode = 'RPK_JOURNAL_TORN' | 'RPK_JOURNAL_STALE'

/**
 * The recordings of one `.rpk`, read and written through one object.
 *
 * Every write is durable when it returns (a killed process keeps it) and is
 * made under the file's lock, so processes and worker threads may share a store.
 *
 * @example
 * const store = new JournalStore('agent.rpk')
 * store.append('session 1', [requestStep, responseStep]) // O(1): one journal line
 * store.save() // compact: agent.rpk written atomically, the journal removed
 */
export interface RecordingStore {
  /** The `.rpk` this store holds. */
  readonly path: string
  /**
   * The recording as stored now, journal included; undefined when there is none.
   * @throws ReplayKitError the typed load error of a file that cannot be loaded (RPK_SCHEMA, RPK_BAD_JOURNAL, …)
   */
  read(): RpkFile | undefined
  /** Store a whole run under `key`, replacing any run stored under it. Other runs, the blobs and `meta.source` are kept. */
  put(key: string, run: Run): StoreWriteResult
  /**
   * Add one completed exchange (its steps, in order) to the end of the run `key`.
   * A run not stored yet is started from the key (`"<name> <index>"`) with a `return` outcome.
   */
  append(key: string, steps: readonly Step[]): StoreWriteResult
  /** Bring the `.rpk` up to date with everything written (a journal is compacted into it and removed). */
  save(): StoreWriteResult
  /** Read, decide and write under the lock: the merge of a test file's session. */
  rewrite(update: Rewrite, options?: RewriteOptions): StoreWriteResult
  /**
   * Write a whole file as given (rehash, migrate): no merge, no load of what is
   * there (that is the file being fixed). Secret-scanned, atomic, under the lock.
   */
  replace(rpk: RpkFile): void
  /** Throws RPK_WRITE_REFUSED when this store would refuse to write (a symlink in the way). */
  assertWritable(): void
}
