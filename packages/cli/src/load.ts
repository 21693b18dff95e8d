/**
 * Reading `.rpk` files named on the command line. Every failure is a typed
 * ReplayKitError naming the file (exit code 2); nothing is written here.
 */
import { readFileSync } from 'node:fs'
import { parseRpk, ReplayKitError, type RpkFile } from '@replaykit/core'

/** Load and fully check a recording (JSON, version, schema, content hash). */
export function loadRecording(file: string): RpkFile {
  return parseRpk(readRecordingText(file), file)
}

/** The text of a recording, with a clear error when it is missing or not a readable file. */
export function readRecordingText(file: string): string {
  try {
    return readFileSync(file, 'utf8')
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
