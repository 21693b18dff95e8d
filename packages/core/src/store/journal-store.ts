/**
 * The journal store: a long capture (the gateway) writes each completed
 * exchange as one line appended to `<name>.rpk.journal` beside the `.rpk`, in
 * O(1) whatever the recording's size, and `save()` compacts the journal into
 * the `.rpk` (atomic) and removes it.
 *
 * - An append opens the journal with O_APPEND under the `.rpk`'s file lock, so
 *   processes and threads share one journal; what it writes was redacted and
 *   secret-screened first (journal-entry.ts).
 * - A process killed at any moment leaves every completed exchange readable:
 *   `read()` is the `.rpk` with the journal applied, and the next writer
 *   recovers the journal first (journal-recovery.ts: a torn last line is cut
 *   with a warning).
 *
 * - `hold()` (the gateway, the file's only writer for its life) takes the lock
 *   once and keeps the journal open until `release()`: an append is then one
 *   write(2), with no lock file created and removed and no open/fstat/close.
 *
 * @note An append does not fsync: a killed process loses nothing (the kernel
 * holds the written bytes), a power cut may lose the last appends. `save()`
 * writes the `.rpk` with fsync, like every `.rpk` write.
 */
import { closeSync, existsSync, fstatSync, openSync, readSync, writeSync } from 'node:fs'
import { readRpkFile, unreadable } from '../artifact/read.js'
import type { Body, RpkCapture, RpkFile, Run, Step } from '../artifact/types.js'
import { assertNotSymlink, buildRpk } from '../artifact/write.js'
import { writeFailed } from '../errors/classes.js'
import { isReplayKitError } from '../errors.js'
import { createRedactor, type Redactor } from '../redact/redactor.js'
import type { RedactOptions } from '../redact/types.js'
import { type HeldFileLock, holdFileLock, type LockOptions, withFileLock } from './file-lock.js'
import { contentWith, foldJournal } from './journal-compact.js'
import { prepareEntry } from './journal-entry.js'
import { entryLine, headerLine, type JournalEntry, journalPathFor } from './journal-format.js'
import { readJournal } from './journal-read.js'
import { recoverJournal, storedContentHash } from './journal-recovery.js'
import type { StoreWarning, StoreWriteResult } from './port.js'
import { RpkStore, type RpkStoreOptions, writing } from './rpk-store.js'

export interface JournalStoreOptions extends RpkStoreOptions {
  /** Redaction rules applied to every entry before it is written. Default: the built-in rules. */
  redact?: RedactOptions
  /** The writer's mode and policy source: in the journal's header, then the `.rpk`'s `meta.capture`. */
  capture?: RpkCapture
}

export class JournalStore extends RpkStore {
  /** `<name>.rpk.journal`, beside the `.rpk`. */
  readonly journalPath: string
  private readonly redactor: Redactor
  private readonly capture: RpkCapture | undefined
  /** The journal was recovered by this store: later appends only check its last byte. */
  private recovered = false
  /** The lock held by hold() until release(); undefined: each write takes the lock. */
  private held: HeldFileLock | undefined
  /** The journal kept open while the lock is held; undefined until the next append opens it. */
  private journalFd: number | undefined

  constructor(path: string, options: JournalStoreOptions = {}) {
    super(path, options)
    this.journalPath = journalPathFor(path)
    this.redactor = createRedactor(options.redact)
    this.capture = options.capture
  }

  /** The `.rpk` with the journal applied. Repairs nothing: a torn last line is left out (and reported). */
  override read(): RpkFile | undefined {
    const base = readRpkFile(this.path)
    let journal: ReturnType<typeof readJournal>
    try {
      journal = readJournal(this.journalPath)
    } catch (error) {
      throw isReplayKitError(error) ? error : unreadable(this.journalPath, error)
    }
    if (!journal) return base
    if (journal.tornAt !== undefined) {
      this.onWarning({
        code: 'RPK_JOURNAL_TORN',
        file: this.journalPath,
        message: `The journal's last line is torn (${journal.size - journal.tornAt} bytes without an end of line, a writer killed mid-write); it is left out, and cut at the next write.`,
      })
    }
    // A journal on another base was compacted already (recovery removes it).
    if (!journal.header || journal.header.base !== (base?.contentHash ?? null) || journal.entries.length === 0)
      return base
    return buildRpk(contentWith(base, journal.entries, journal.header.capture))
  }

  override put(key: string, run: Run): StoreWriteResult {
    return this.write({ op: 'put', key, run })
  }

  /** `blobs`: bodies the steps refer to by hash (`{ blob: 'sha256:…' }`), stored once in the file. */
  override append(key: string, steps: readonly Step[], blobs?: Record<string, Body>): StoreWriteResult {
    return this.write(
      blobs && Object.keys(blobs).length > 0
        ? { op: 'append', key, steps: [...steps], blobs }
        : { op: 'append', key, steps: [...steps] },
    )
  }

  /** Compact: write the `.rpk` with every journal entry in it (atomic), then remove the journal. */
  override save(): StoreWriteResult {
    assertNotSymlink(this.path)
    return writing(this.path, () => this.locked(() => this.compactLocked()))
  }

  /**
   * Take the `.rpk`'s lock now and keep it, with the journal open, until
   * `release()`. A second writer meanwhile waits, then fails with RPK_LOCKED
   * naming this process; a process killed while holding it leaves a lock the
   * next writer recognises as stale (its pid is gone) and takes over.
   * @throws LockedError when another live writer holds the lock past `options.timeoutMs`.
   */
  hold(options: LockOptions = this.lock ?? {}): void {
    if (this.held) return
    assertNotSymlink(this.path)
    this.held = holdFileLock(this.path, options)
  }

  /** Close the journal and give the lock back (after save(), or without: the journal stays for the next writer). */
  release(): void {
    this.closeJournal()
    this.held?.release()
    this.held = undefined
  }

  override assertWritable(): void {
    assertNotSymlink(this.path)
    assertNotSymlink(this.journalPath)
  }

  /**
   * Put the journal back in order after a killed writer: cut a torn last line,
   * remove a journal compacted already. Returns the repairs (also reported).
   */
  recover(): StoreWarning[] {
    assertNotSymlink(this.path)
    return this.locked(() => this.recoverLocked().warnings)
  }

  private write(entry: JournalEntry): StoreWriteResult {
    this.assertWritable()
    // Redacted, screened and checked before the lock: a refused entry waits for nobody.
    const line = entryLine(prepareEntry(entry, this.redactor, this.journalPath))
    writing(this.journalPath, () => this.locked(() => this.appendLocked(line)))
    return { written: true, deleted: false }
  }

  /** rewrite()/replace() while the lock is held: under it, with the journal closed (they may remove it). */
  protected override wholeFileLocked<T>(fn: () => T): T {
    if (!this.held) return super.wholeFileLocked(fn)
    this.closeJournal()
    this.recovered = false
    return fn()
  }

  /** Run `fn` under the lock: the held one, or one taken for this call. */
  private locked<T>(fn: () => T): T {
    return this.held ? fn() : withFileLock(this.path, fn, this.lock)
  }

  private closeJournal(): void {
    if (this.journalFd === undefined) return
    const fd = this.journalFd
    this.journalFd = undefined
    try {
      closeSync(fd)
    } catch {
      // Closed already: nothing held.
    }
  }

  private appendLocked(line: string): void {
    try {
      if (this.journalFd !== undefined && this.appendHeld(line)) return
      if (!this.recovered) this.recoverLocked()
      // @note Another writer of this journal may have been killed mid-line since this store recovered it:
      // the last byte tells (O(1)), and the journal is recovered again before this line goes after it.
      if (!this.tryAppend(line)) {
        this.recoverLocked()
        this.tryAppend(line)
      }
    } catch (error) {
      if (isReplayKitError(error)) throw error
      throw writeFailed(this.journalPath, 'to the journal', error)
    }
  }

  /**
   * Append to the journal kept open under the held lock: no other writer can
   * have touched it since. True when the whole line was written; a failed or
   * short write closes it, and the next append recovers the journal first.
   */
  private appendHeld(line: string): boolean {
    const fd = this.journalFd as number
    const bytes = Buffer.from(line)
    let written = 0
    try {
      written = writeSync(fd, bytes)
    } catch (error) {
      this.closeJournal()
      this.recovered = false
      throw error
    }
    if (written === bytes.length) return true
    this.closeJournal()
    this.recovered = false
    throw new Error(`short write to the journal (${written} of ${bytes.length} bytes)`)
  }

  /** Append `line`; false (nothing written) when the journal does not end with a whole line. */
  private tryAppend(line: string): boolean {
    // Checked before the journal is created: a refusal leaves no empty journal behind.
    const base = existsSync(this.journalPath) ? undefined : this.baseOfNewJournal()
    const fd = openSync(this.journalPath, 'a+')
    let keep = false
    try {
      const size = fstatSync(fd).size
      if (size === 0) writeSync(fd, headerLine(base ?? this.baseOfNewJournal(), this.capture))
      else if (!endsWithNewline(fd, size)) return false
      writeSync(fd, line)
      // Held: the journal stays open for the next appends (compaction and release() close it).
      keep = this.held !== undefined
      return true
    } finally {
      if (keep) this.journalFd = fd
      else closeSync(fd)
    }
  }

  /**
   * The content hash a new journal extends. Throws the `.rpk`'s typed load
   * error when it has none that can be read (damaged, an older schema): like
   * the `.rpk` store, the journal store never writes over a file it cannot load,
   * and a journal on an unknown base could not be told from a stale one later.
   */
  private baseOfNewJournal(): string | null {
    const base = storedContentHash(this.path)
    if (base !== undefined) return base
    readRpkFile(this.path)
    return null
  }

  private compactLocked(): StoreWriteResult {
    // Compaction removes the journal: the next append opens (and heads) a new one.
    this.closeJournal()
    this.recovered = true
    return foldJournal(this.path, this.onWarning)
  }

  private recoverLocked(): ReturnType<typeof recoverJournal> {
    // Recovery may cut or remove the journal: an fd kept open would write past a cut line.
    this.closeJournal()
    const recovered = recoverJournal(this.journalPath, this.path)
    this.recovered = true
    for (const warning of recovered.warnings) this.onWarning(warning)
    return recovered
  }
}

function endsWithNewline(fd: number, size: number): boolean {
  const last = Buffer.alloc(1)
  readSync(fd, last, 0, 1, size - 1)
  return last[0] === 0x0a
}
