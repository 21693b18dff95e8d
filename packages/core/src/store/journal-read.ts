/**
 * Reading a `.rpk.journal`: the header, every complete entry (each checked
 * against the schema, so a bad line is reported by its number), and a torn
 * last line (bytes after the last `\n`: a writer killed mid-write) set apart
 * for recovery to cut. A bad complete line is damage, not a crash: RPK_BAD_JOURNAL.
 */
import { readFileSync } from 'node:fs'
import { SCHEMA_VERSION } from '../artifact/schema/v1.js'
import type { Run } from '../artifact/types.js'
import { validateJournalEntry, validateRpk } from '../artifact/validate.js'
import { startRun } from './journal-apply.js'
import { badJournal, type JournalEntry, type JournalHeader, parseEntry, parseHeader } from './journal-format.js'

export interface JournalContents {
  /** Undefined when the journal is empty or its header line is torn. */
  header?: JournalHeader
  entries: JournalEntry[]
  /** Byte offset where a torn last line starts; undefined when the journal ends with `\n`. */
  tornAt?: number
  /** Bytes of the journal. */
  size: number
}

/** The journal at `path`; undefined when there is none. */
export function readJournal(path: string): JournalContents | undefined {
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  return parseJournal(bytes, path)
}

/** A journal from its bytes; `file` names it in errors. */
export function parseJournal(bytes: Buffer, file: string): JournalContents {
  const end = bytes.lastIndexOf(0x0a) + 1
  const contents: JournalContents = { entries: [], size: bytes.length }
  if (end < bytes.length) contents.tornAt = end
  if (end === 0) return contents
  const lines = bytes
    .subarray(0, end - 1)
    .toString('utf8')
    .split('\n')
  contents.header = parseHeader(lines[0] ?? '', file)
  for (let i = 1; i < lines.length; i++) {
    const entry = parseEntry(lines[i] ?? '', i + 1, file)
    checkEntry(entry, i + 1, file)
    contents.entries.push(entry)
  }
  return contents
}

/**
 * Throws RPK_BAD_JOURNAL when an entry's run or steps break the schema.
 * @note The same schema a store checks before it writes an entry (entryProblem with the entry's own validator),
 * so only a line changed on disk fails here; a line read from disk gets the whole-file validator.
 */
function checkEntry(entry: JournalEntry, line: number, file: string): void {
  const problem = entryProblem(entry)
  if (problem) throw badJournal(file, line, `breaks the recording schema: ${problem}`)
}

/**
 * Where an entry breaks the schema (the path inside its run), or undefined when it follows it.
 * `check`: the whole-file validator on a file around the entry (a line read from disk), or the
 * entry's own (an entry a writer built: journal-entry.ts), which checks the same runs and blobs.
 */
export function entryProblem(entry: JournalEntry, check: 'file' | 'entry' = 'file'): string | undefined {
  const run: Run = entry.op === 'put' ? entry.run : { ...startRun(entry.key), steps: entry.steps }
  const held = { runs: { entry: run }, ...(entry.op === 'append' && entry.blobs ? { blobs: entry.blobs } : {}) }
  const violation =
    check === 'entry'
      ? validateJournalEntry(held)
      : validateRpk({
          schemaVersion: SCHEMA_VERSION,
          contentHash: `sha256:${'0'.repeat(64)}`,
          meta: { writer: 'journal' },
          ...held,
        })
  return violation ? `${violation.path.replace('$.runs.entry', '$')} ${violation.message}` : undefined
}
