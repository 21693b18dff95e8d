/**
 * Reading `.rpk` files named on the command line. Every failure is a typed
 * ReplayKitError naming the file (exit code 2); nothing is written here.
 */
import { readFileSync } from 'node:fs'
import { parseRpk, type RpkFile, unreadable } from '@replaykit/core'

/** Load and fully check a recording (encoding, JSON, structure, version, schema, content hash). */
export function loadRecording(file: string): RpkFile {
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
