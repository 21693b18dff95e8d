/**
 * Putting a journal left by a killed or crashed writer back in order, under
 * the file lock: a torn last line is cut (RPK_JOURNAL_TORN), and a journal
 * whose base is not the `.rpk` on disk is removed (RPK_JOURNAL_STALE: the
 * writer was killed after compaction wrote the `.rpk` and before it removed
 * the journal, so every entry is in the `.rpk` already).
 */
import { readFileSync, rmSync, truncateSync } from 'node:fs'
import { type JournalContents, readJournal } from './journal-read.js'
import type { StoreWarning } from './port.js'

export interface Recovered {
  /** The journal's entries, ready to apply; undefined when no journal is left. */
  contents?: JournalContents
  warnings: StoreWarning[]
}

/** Recover the journal beside the `.rpk` at `rpkPath`. The caller holds the lock. */
export function recoverJournal(journalPath: string, rpkPath: string): Recovered {
  const contents = readJournal(journalPath)
  const warnings: StoreWarning[] = []
  if (!contents) return { warnings }
  if (contents.tornAt !== undefined) {
    const cut = contents.size - contents.tornAt
    truncateSync(journalPath, contents.tornAt)
    warnings.push({
      code: 'RPK_JOURNAL_TORN',
      file: journalPath,
      message: `Recovered the journal: its last line was torn (${cut} bytes without an end of line, a writer killed mid-write) and was cut; every completed exchange before it is kept.`,
    })
    contents.size = contents.tornAt
    contents.tornAt = undefined
  }
  if (!contents.header) {
    rmSync(journalPath, { force: true })
    return { warnings }
  }
  // @note Only a base known to differ makes a journal stale: over a .rpk that cannot be read, the journal
  // is kept (compaction then fails with the .rpk's own load error, and nothing is lost).
  const current = storedContentHash(rpkPath)
  if (current !== undefined && contents.header.base !== current) {
    rmSync(journalPath, { force: true })
    warnings.push({
      code: 'RPK_JOURNAL_STALE',
      file: journalPath,
      message: `Removed a journal that was already compacted into ${rpkPath} (its writer stopped before removing it).`,
    })
    return { warnings }
  }
  return { contents, warnings }
}

/**
 * The content hash a `.rpk` stores (not recomputed: a hand-edited file keeps
 * the hash it was written with); null when there is no file, undefined when
 * the file holds none that can be read (damaged, or an older schema).
 */
export function storedContentHash(rpkPath: string): string | null | undefined {
  let text: string
  try {
    text = readFileSync(rpkPath, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  try {
    const hash = (JSON.parse(text) as { contentHash?: unknown }).contentHash
    return typeof hash === 'string' ? hash : undefined
  } catch {
    return undefined
  }
}
