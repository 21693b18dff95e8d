/**
 * One error family for everything ReplayKit reports to a user.
 *
 * Each failure has a stable `code` (tests and tooling match on it, never on the
 * message), a message shaped "what failed: why", the file or argument it is
 * about, and a `hint` that says how to fix it. Modelled on vitest's `errors.ts`.
 */

export type ReplayKitErrorCode =
  | 'RPK_INVALID_JSON'
  | 'RPK_TRUNCATED'
  | 'RPK_SCHEMA'
  | 'RPK_FUTURE_VERSION'
  | 'RPK_OLD_VERSION'
  | 'RPK_HASH_MISMATCH'
  | 'RPK_NOT_JSON'
  | 'RPK_ENCODING'
  | 'RPK_DUPLICATE_KEY'
  | 'RPK_TOO_DEEP'
  | 'RPK_UNREADABLE'
  | 'RPK_SECRET_DETECTED'
  | 'RPK_REPLAY_MISS'
  | 'RPK_BAD_CONFIG'
  | 'RPK_BAD_SIGNATURE'
  | 'RPK_USAGE'
  | 'RPK_WRITE_REFUSED'
  | 'RPK_LOCKED'
  | 'RPK_LATE_REQUEST'
  | 'RPK_NETWORK_BLOCKED'
  | 'RPK_BAD_JOURNAL'
  | 'RPK_WRITE_FAILED'

export interface ReplayKitErrorOptions {
  /** The file or argument the error is about. */
  file?: string
  /** How to fix it, printed last. */
  hint?: string
  cause?: unknown
}

export class ReplayKitError extends Error {
  override readonly name: string = 'ReplayKitError'
  readonly code: ReplayKitErrorCode
  readonly file?: string
  readonly hint?: string

  constructor(code: ReplayKitErrorCode, message: string, options: ReplayKitErrorOptions = {}) {
    const where = options.file ? `${options.file}: ` : ''
    const hint = options.hint ? `\n  Fix: ${options.hint}` : ''
    super(`[ReplayKit] ${where}${message}${hint}`, { cause: options.cause })
    this.code = code
    this.file = options.file
    this.hint = options.hint
  }
}

/** True for errors thrown by ReplayKit (also across two copies of the package). */
export function isReplayKitError(error: unknown): error is ReplayKitError {
  return (
    error instanceof ReplayKitError ||
    (error instanceof Error && error.name === 'ReplayKitError' && typeof (error as ReplayKitError).code === 'string')
  )
}

/**
 * A `.rpk.journal` line that is not the last one cannot be read (or the journal
 * names a format this ReplayKit does not know): a torn last line is cut with a
 * warning, but damage in the middle means lines were lost or edited.
 */
export class BadJournalError extends ReplayKitError {
  /** 1-based line of the journal that is wrong. */
  readonly line: number

  constructor(file: string, line: number, reason: string, cause?: unknown) {
    super('RPK_BAD_JOURNAL', `Failed to read the journal: line ${line} ${reason}.`, {
      file,
      hint: 'the journal was damaged after it was written (only its last line may be torn by a crash): restore it from a backup, or delete it to keep only what the .rpk beside it holds.',
      cause,
    })
    this.line = line
  }
}

/** Writing a recording failed for a reason of the file system (a read-only folder, a full disk). */
export class WriteFailedError extends ReplayKitError {
  constructor(file: string, what: string, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause)
    super('RPK_WRITE_FAILED', `Failed to write ${what}: ${why}.`, {
      file,
      hint: 'check that the folder exists and is writable and that the disk has room, then run again.',
      cause,
    })
  }
}
