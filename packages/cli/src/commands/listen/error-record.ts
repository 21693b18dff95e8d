/**
 * An error of the background listener carried to `listen start` through a
 * file: the same code, message, argument and fix reach the user as if the
 * gateway had failed in the foreground.
 */
import {
  ERROR_CLASSES,
  isReplayKitError,
  type ReplayKitError,
  type ReplayKitErrorCode,
  UsageError,
} from '@replaykit/core/errors'

export interface ErrorRecord {
  pid: number
  code: ReplayKitErrorCode
  /** The message without the `[ReplayKit] file:` prefix and the fix. */
  message: string
  file?: string
  hint?: string
  /** Set when the listener lost the race for the PID file to another one started at the same moment. */
  lostRace?: true
}

export function errorRecord(error: unknown, pid: number): ErrorRecord {
  if (isReplayKitError(error)) {
    let message = error.message.replace(/^\[ReplayKit\] /, '')
    if (error.file !== undefined && message.startsWith(`${error.file}: `))
      message = message.slice(error.file.length + 2)
    message = message.split('\n  Fix: ')[0] ?? message
    return {
      pid,
      code: error.code,
      message,
      ...(error.file !== undefined ? { file: error.file } : {}),
      ...(error.hint !== undefined ? { hint: error.hint } : {}),
    }
  }
  return {
    pid,
    code: 'RPK_USAGE',
    message: `Failed to start the listener: ${error instanceof Error ? error.message : String(error)}.`,
    hint: 'check the flags and the log in the state folder (listen.log), then run `replaykit listen start` again.',
  }
}

export function errorFromRecord(record: ErrorRecord): ReplayKitError {
  // A code this copy of core does not know (a newer listener) still reaches the user as a usage error.
  const ErrorClass = ERROR_CLASSES[record.code] ?? UsageError
  return new ErrorClass(record.message, {
    ...(record.file !== undefined ? { file: record.file } : {}),
    ...(record.hint !== undefined ? { hint: record.hint } : {}),
  })
}
