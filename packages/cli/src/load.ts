/**
 * Reading `.rpk` files named on the command line. Every failure is a typed
 * ReplayKitError naming the file (exit code 2); nothing is written here.
 */
import { readFileSync } from 'node:fs'
import { parseRpk, ReplayKitError, type RpkFile } from '@replaykit/core'

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
    const code = (error as NodeJS.ErrnoException).code
    const why =
      code === 'ENOENT'
        ? 'the file does not exist'
        : code === 'EISDIR'
          ? 'it is a folder, not a file'
          : (error as Error).message
    throw new ReplayKitError('RPK_UNREADABLE', `Failed to read the recording: ${why}.`, {
      file,
      hint: 'check the path; recordings are written to __snapshots__/<test file>.rpk beside each test file.',
      cause: error,
    })
  }
}
