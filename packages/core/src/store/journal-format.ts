/**
 * The `.rpk.journal` format: JSON Lines, one complete write per line.
 *
 *   {"rpkJournal":1,"base":"sha256:…"}             first line: format version and the .rpk it extends
 *                                                   (and `capture`, the writer's mode and policy source)
 *   {"op":"append","key":"chat 1","steps":[…]}      one completed exchange added to a run
 *   {"op":"put","key":"chat 1","run":{…}}           a whole run stored under a key
 *
 * `base` is the content hash of the `.rpk` when the journal was started (null
 * when there was none). Compaction writes a new `.rpk` and then removes the
 * journal; a process killed in between leaves a journal whose base no longer
 * matches the `.rpk`, which is then known to be folded in already (docs/schema.md).
 *
 * @note One line per write, and a line is only complete with its `\n`: a writer
 * killed mid-line leaves a last line without one, cut on recovery.
 */
import type { Body, RpkCapture, Run, Step } from '../artifact/types.js'
import { BadJournalError } from '../errors/classes.js'

/** The journal format this ReplayKit writes and reads. */
export const JOURNAL_VERSION = 1

/** The journal beside a `.rpk`. */
export function journalPathFor(rpkPath: string): string {
  return `${rpkPath}.journal`
}

export interface JournalHeader {
  rpkJournal: number
  /** Content hash of the `.rpk` the entries apply to; null when none existed. */
  base: string | null
  /** The capture's mode and policy source, for the `.rpk`'s `meta.capture` when compacted. */
  capture?: RpkCapture
}

/**
 * `blobs` on an append: bodies (or parts of JSON bodies) its steps refer to by
 * content hash (`{ "blob": "sha256:…" }`), written with the first exchange that
 * uses them (the gateway stores a 200-turn agent's system prompt once).
 */
export type JournalEntry =
  | { op: 'append'; key: string; steps: Step[]; blobs?: Record<string, Body> }
  | { op: 'put'; key: string; run: Run }

/** The header line, `\n` included. */
export function headerLine(base: string | null, capture?: RpkCapture): string {
  const header: JournalHeader = { rpkJournal: JOURNAL_VERSION, base }
  if (capture) header.capture = { mode: capture.mode, policySource: capture.policySource }
  return `${JSON.stringify(header)}\n`
}

/** One entry's line, `\n` included. */
export function entryLine(entry: JournalEntry): string {
  return `${JSON.stringify(entry)}\n`
}

/** Check the first line. @throws BadJournalError for anything but a header of a known version. */
export function parseHeader(text: string, file: string): JournalHeader {
  const value = parseLine(text, 1, file) as Partial<JournalHeader>
  if (typeof value.rpkJournal !== 'number') throw badJournal(file, 1, 'is not a journal header')
  if (value.rpkJournal !== JOURNAL_VERSION) {
    throw badJournal(
      file,
      1,
      `names journal format ${value.rpkJournal}; this ReplayKit reads format ${JOURNAL_VERSION} (upgrade the @replaykit packages)`,
    )
  }
  if (value.base !== null && typeof value.base !== 'string') throw badJournal(file, 1, 'has no valid base')
  const header: JournalHeader = { rpkJournal: value.rpkJournal, base: value.base }
  const capture = value.capture as Partial<RpkCapture> | undefined
  if (capture !== undefined) {
    if (typeof capture?.mode !== 'string' || typeof capture.policySource !== 'string')
      throw badJournal(file, 1, 'has a capture without a mode and a policySource')
    header.capture = { mode: capture.mode, policySource: capture.policySource }
  }
  return header
}

/** One entry line. @throws BadJournalError for a line that is not JSON or not an entry. */
export function parseEntry(text: string, line: number, file: string): JournalEntry {
  const value = parseLine(text, line, file) as { op?: unknown; key?: unknown; steps?: unknown; run?: unknown }
  if (typeof value.key !== 'string') throw badJournal(file, line, 'has no run key')
  if (value.op === 'append' && Array.isArray(value.steps)) return value as JournalEntry
  if (value.op === 'put' && typeof value.run === 'object' && value.run !== null) return value as JournalEntry
  throw badJournal(file, line, `is not an append or a put (op ${JSON.stringify(value.op)})`)
}

function parseLine(text: string, line: number, file: string): object {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw badJournal(file, line, 'is not JSON', error)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badJournal(file, line, 'is not a JSON object')
  }
  return value
}

/** RPK_BAD_JOURNAL naming the journal and its 1-based line. */
export function badJournal(file: string, line: number, reason: string, cause?: unknown): BadJournalError {
  return new BadJournalError(`Failed to read the journal: line ${line} ${reason}.`, { file, cause, line })
}
