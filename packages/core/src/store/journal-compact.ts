/**
 * Folding a journal into its `.rpk`, under the file lock. Every write of a
 * `.rpk` that has a journal beside it starts here, whichever store makes it:
 * a whole-file write that ignored the journal would change the `.rpk` under
 * it, and recovery would then take the journal for one compacted already.
 */
import { existsSync, rmSync } from 'node:fs'
import { readRpkFile } from '../artifact/read.js'
import type { RpkCapture, RpkFile } from '../artifact/types.js'
import { type RpkContent, writeRpkFile } from '../artifact/write.js'
import { applyEntries } from './journal-apply.js'
import type { JournalEntry } from './journal-format.js'
import { journalPathFor } from './journal-format.js'
import { recoverJournal } from './journal-recovery.js'
import type { StoreWarning, StoreWriteResult } from './port.js'

export type WarningSink = (warning: StoreWarning) => void

/** The entries of the journal beside `rpkPath`, after recovery; empty when there is none. The caller holds the lock. */
export function journalEntries(rpkPath: string, onWarning: WarningSink): JournalEntry[] {
  const journal = journalPathFor(rpkPath)
  if (!existsSync(journal)) return []
  const { contents, warnings } = recoverJournal(journal, rpkPath)
  for (const warning of warnings) onWarning(warning)
  return contents?.entries ?? []
}

/**
 * Compact: write the `.rpk` with every journal entry in it (atomic), then
 * remove the journal. The caller holds the lock.
 * @note Written as screened: every entry was redacted and screened when it was appended; the rest is the `.rpk` as read.
 */
export function foldJournal(rpkPath: string, onWarning: WarningSink): StoreWriteResult {
  const journal = journalPathFor(rpkPath)
  if (!existsSync(journal)) return { written: false, deleted: false }
  const { contents, warnings } = recoverJournal(journal, rpkPath)
  for (const warning of warnings) onWarning(warning)
  const entries = contents?.entries ?? []
  let written = false
  if (entries.length > 0) {
    const content = contentWith(readRpkFile(rpkPath), entries, contents?.header?.capture)
    written = writeRpkFile(rpkPath, content, { screened: true }).written
  }
  rmSync(journal, { force: true })
  return { written, deleted: false }
}

/**
 * A file's content with journal entries applied: its other runs, blobs and source kept;
 * `capture` (the journal's writer) replaces the file's, which is kept when there is none.
 */
export function contentWith(
  base: RpkFile | undefined,
  entries: readonly JournalEntry[],
  capture: RpkCapture | undefined = base?.meta.capture,
): RpkContent {
  const runs = applyEntries(new Map(Object.entries(base?.runs ?? {})), entries)
  let blobs = base?.blobs
  for (const entry of entries) {
    if (entry.op === 'append' && entry.blobs) blobs = { ...blobs, ...entry.blobs }
  }
  return {
    runs: Object.fromEntries(runs),
    ...(blobs ? { blobs } : {}),
    ...(base?.meta.source !== undefined ? { source: base.meta.source } : {}),
    ...(capture !== undefined ? { capture } : {}),
  }
}

/** How a store reports a repair when no one asked otherwise: a process warning with the code. */
export function emitWarning(warning: StoreWarning): void {
  process.emitWarning(`${warning.file}: ${warning.message}`, { code: warning.code })
}
