/**
 * One error family for everything ReplayKit reports to a user.
 *
 * Each failure has a stable `code` (tests and tooling match on it, never on the
 * message), a message shaped "what failed: why", the file or argument it is
 * about, and a `hint` that says how to fix it. Modelled on vitest's `errors.ts`.
 */

/** Every code, stable: tests and tooling match on it, never on the message. One class each in errors/classes.ts. */
export const ERROR_CODES = [
  'RPK_INVALID_JSON',
  'RPK_TRUNCATED',
  'RPK_SCHEMA',
  'RPK_FUTURE_VERSION',
  'RPK_OLD_VERSION',
  'RPK_HASH_MISMATCH',
  'RPK_NOT_JSON',
  'RPK_ENCODING',
  'RPK_DUPLICATE_KEY',
  'RPK_TOO_DEEP',
  'RPK_UNREADABLE',
  'RPK_SECRET_DETECTED',
  'RPK_REPLAY_MISS',
  'RPK_BAD_CONFIG',
  'RPK_USAGE',
  'RPK_WRITE_REFUSED',
  'RPK_WRITE_FAILED',
  'RPK_LOCKED',
  'RPK_LATE_REQUEST',
  'RPK_NETWORK_BLOCKED',
  'RPK_RUNTIME_CONFLICT',
  'RPK_BAD_JOURNAL',
  'RPK_BAD_ADAPTER',
  'RPK_BAD_PLUGIN',
  'RPK_PORT_IN_USE',
] as const

export type ReplayKitErrorCode = (typeof ERROR_CODES)[number]

export interface ReplayKitErrorOptions {
  /** The file or argument the error is about. */
  file?: string
  /** How to fix it, printed last. */
  hint?: string
  cause?: unknown
}

/**
 * The base of the family. Throw one of its classes (errors/classes.ts), which
 * fix the code and carry the default fix; `isReplayKitError` recognises all.
 */
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
