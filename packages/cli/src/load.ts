/**
 * Reading `.rpk` files named on the command line. Every failure is a typed
 * ReplayKitError naming the file (exit code 2); nothing is written here.
 */
import { existsSync, readFileSync } from 'node:fs'
import { JournalStore, journalPathFor, parseRpk, type RpkFile, unreadable } from '@replaykit/core'

/**
 * Load and fully check a recording (encoding, JSON, structure, version, schema, content hash).
 * A recording with a journal beside it (`<file>.journal`: a `replaykit listen` session still
 * running, or killed) is read with the journal applied, as the gateway's replay reads it: every
 * completed exchange is there even before the `.rpk` itself was first written. Nothing is repaired.
 */
export function loadRecording(file: string): RpkFile {
  if (existsSync(journalPathFor(file))) {
    const rpk = new JournalStore(file, { onWarning: () => {} }).read()
    if (rpk) return rpk
  }
  return parseRpk(readRecordingBytes(file), file)
}

/**
 * The bytes of a recording, with a clear error when it is missing or not a readable file.
 * @note Bytes, not text: decoding as UTF-8 here would turn stray bytes into U+FFFD silently.
 */
export function readRecordingBytes(file: string): Uint8Array {
  try {
    return readFileSync(file)
  } catch (error) {
    throw unreadable(file, error)
  }
}
