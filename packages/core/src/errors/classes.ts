/**
 * One class per failure, each with its stable code (the `RPK_` list in
 * ../errors.ts) and the fix to print when the place that throws has no more
 * precise one. Throw these, never a bare ReplayKitError: a test checks that
 * every declared code is raised by its class somewhere in the packages.
 *
 * @example
 * throw new HashMismatchError('Failed to load the recording: its content hash does not match.', { file })
 * // [ReplayKit] agent.rpk: Failed to load the recording: ...
 * //   Fix: if the edit was deliberate, run `replaykit rehash <file>`; ...
 */
import { ReplayKitError, type ReplayKitErrorCode, type ReplayKitErrorOptions } from '../errors.js'

/** The options with the class's own hint when the thrower gave none. */
function withHint(options: ReplayKitErrorOptions, hint: string): ReplayKitErrorOptions {
  return options.hint === undefined ? { ...options, hint } : options
}

/** RPK_UNREADABLE: A file could not be read: missing, a folder, no permission. */
export class UnreadableError extends ReplayKitError {
  static readonly code: ReplayKitErrorCode = 'RPK_UNREADABLE'
  constructor(message: string, options: ReplayKitErrorOptions = {}) {
    super('RPK_UNREADABLE', message, withHint(options, 'check the path and that the file is readable.'))
  }
}

/** RPK_ENCODING: A recording is not UTF-8 text (a BOM, UTF-16, a NUL byte, bad bytes). */
export class EncodingError extends ReplayKitError {
  static readonly code: ReplayKitErrorCode = 'RPK_ENCODING'
  constructor(message: string, options: ReplayKitErrorOptions = {}) {
    super(
      'RPK_ENCODING',
      message,
      withHint(options, 'save it as UTF-8 without a BOM, or restore it from version control.'),
    )
  }
}

/** RPK_TRUNCATED: A recording is empty or its JSON ends early. */
export class TruncatedError extends ReplayKitError {
  static readonly code: ReplayKitErrorCode = 'RPK_TRUNCATED'
  constructor(message: string, options: ReplayKitErrorOptions = {}) {
    super('RPK_TRUNCATED', message, withHint(options, 'restore it from version control, or record it anew.'))
  }
}

/** RPK_INVALID_JSON: A file is not JSON (line and column given). */
export class InvalidJsonError extends ReplayKitError {
  static readonly code: ReplayKitErrorCode = 'RPK_INVALID_JSON'
  constructor(message: string, options: ReplayKitErrorOptions = {}) {
    super(
      'RPK_INVALID_JSON',
      message,
      withHint(options, 'fix it by hand (often a merge conflict), restore it from version control, or record it anew.'),
    )
  }
}

/** RPK_NOT_JSON: A value cannot be written as JSON (a function, a cycle, a number JSON cannot hold). */
export class NotJsonError extends ReplayKitError {
  static readonly code: ReplayKitErrorCode = 'RPK_NOT_JSON'
  constructor(message: string, options: ReplayKitErrorOptions = {}) {
    super(
      'RPK_NOT_JSON',
      message,
      withHint(options, 'give JSON data: plain objects, arrays, strings, finite numbers, booleans and null.'),
    )
  }
}

/** RPK_DUPLICATE_KEY: An object of a recording has a member twice. */
export class DuplicateKeyError extends ReplayKitError {
  static readonly code: ReplayKitErrorCode = 'RPK_DUPLICATE_KEY'
  constructor(message: string, options: ReplayKitErrorOptions = {}) {
    super(
      'RPK_DUPLICATE_KEY',
      message,
      withHint(options, 'remove one of the two (often a bad merge), or restore the file from version control.'),
    )
  }
}

/** RPK_TOO_DEEP: Nesting past the limit of the format (512 levels). */
export class TooDeepError extends ReplayKitError {
  static readonly code: ReplayKitErrorCode = 'RPK_TOO_DEEP'
  constructor(message: string, options: ReplayKitErrorOptions = {}) {
    super(
      'RPK_TOO_DEEP',
      message,
      withHint(options, 'restore the file, or record it anew with less deeply nested data.'),
    )
  }
}

/** RPK_SCHEMA: A file breaks the schema or a replay rule (the JSON path is given). */
export class SchemaError extends ReplayKitError {
  static readonly code: ReplayKitErrorCode = 'RPK_SCHEMA'
  constructor(message: string, options: ReplayKitErrorOptions = {}) {
    super('RPK_SCHEMA', message, withHint(options, 'restore it from version control, or record it anew.'))
  }
}

/** RPK_FUTURE_VERSION: A recording written by a newer ReplayKit. */
export class FutureVersionError extends ReplayKitError {
  static readonly code: ReplayKitErrorCode = 'RPK_FUTURE_VERSION'
  constructor(message: string, options: ReplayKitErrorOptions = {}) {
    super(
      'RPK_FUTURE_VERSION',
      message,
      withHint(options, 'upgrade the @replaykit packages to the release that wrote it.'),
    )
  }
}

/** RPK_OLD_VERSION: A recording of an older schema major. */
export class OldVersionError extends ReplayKitError {
  static readonly code: ReplayKitErrorCode = 'RPK_OLD_VERSION'
  constructor(message: string, options: ReplayKitErrorOptions = {}) {
    super('RPK_OLD_VERSION', message, withHint(options, 'run `replaykit migrate <file>`.'))
  }
}

/** RPK_HASH_MISMATCH: A recording was edited after it was written. */
export class HashMismatchError extends ReplayKitError {
  static readonly code: ReplayKitErrorCode = 'RPK_HASH_MISMATCH'
  constructor(message: string, options: ReplayKitErrorOptions = {}) {
    super(
      'RPK_HASH_MISMATCH',
      message,
      withHint(
        options,
        'if the edit was deliberate, run `replaykit rehash <file>`; otherwise restore it from version control.',
      ),
    )
  }
}

/** RPK_SECRET_DETECTED: A write would contain a credential; nothing is written. */
export class SecretDetectedError extends ReplayKitError {
  static readonly code: ReplayKitErrorCode = 'RPK_SECRET_DETECTED'
  constructor(message: string, options: ReplayKitErrorOptions = {}) {
    super(
      'RPK_SECRET_DETECTED',
      message,
      withHint(options, 'add a redaction rule for that field (redact: { paths, patterns, headers }).'),
    )
  }
}

/** RPK_WRITE_REFUSED: ReplayKit refused a write (a symlink, a recording it cannot load); nothing is written. */
export class WriteRefusedError extends ReplayKitError {
  static readonly code: ReplayKitErrorCode = 'RPK_WRITE_REFUSED'
  constructor(message: string, options: ReplayKitErrorOptions = {}) {
    super('RPK_WRITE_REFUSED', message, withHint(options, 'fix or replace the file named, then run again.'))
  }
}

/** RPK_WRITE_FAILED: The file system refused a write (read-only or missing folder, full disk). */
export class WriteFailedError extends ReplayKitError {
  static readonly code: ReplayKitErrorCode = 'RPK_WRITE_FAILED'
  constructor(message: string, options: ReplayKitErrorOptions = {}) {
    super('RPK_WRITE_FAILED', message, withHint(options, 'check that the folder is writable, then run again.'))
  }
}

/** RPK_LOCKED: Another process holds the lock on a recording for too long. */
export class LockedError extends ReplayKitError {
  static readonly code: ReplayKitErrorCode = 'RPK_LOCKED'
  constructor(message: string, options: ReplayKitErrorOptions = {}) {
    super(
      'RPK_LOCKED',
      message,
      withHint(options, 'wait for the other run to finish, or remove a stale lock file it names.'),
    )
  }
}

/** RPK_REPLAY_MISS: A request in a replay has no recorded answer (the request is printed). */
export class ReplayMissError extends ReplayKitError {
  static readonly code: ReplayKitErrorCode = 'RPK_REPLAY_MISS'
  constructor(message: string, options: ReplayKitErrorOptions = {}) {
    super('RPK_REPLAY_MISS', message, withHint(options, 'record it: run the tests with --update-replays.'))
  }
}

/** RPK_LATE_REQUEST: A request started after its capture had ended. */
export class LateRequestError extends ReplayKitError {
  static readonly code: ReplayKitErrorCode = 'RPK_LATE_REQUEST'
  constructor(message: string, options: ReplayKitErrorOptions = {}) {
    super('RPK_LATE_REQUEST', message, withHint(options, 'await every call inside the function given to capture().'))
  }
}

/** RPK_NETWORK_BLOCKED: A request left the process while blockNetwork was on. */
export class NetworkBlockedError extends ReplayKitError {
  static readonly code: ReplayKitErrorCode = 'RPK_NETWORK_BLOCKED'
  constructor(message: string, options: ReplayKitErrorOptions = {}) {
    super('RPK_NETWORK_BLOCKED', message, withHint(options, 'allow the host with allowedHosts, or capture the call.'))
  }
}

/** RPK_BAD_CONFIG: An option of the configuration is unknown or has a wrong value. */
export class BadConfigError extends ReplayKitError {
  static readonly code: ReplayKitErrorCode = 'RPK_BAD_CONFIG'
  constructor(message: string, options: ReplayKitErrorOptions = {}) {
    super(
      'RPK_BAD_CONFIG',
      message,
      withHint(options, 'fix the option named; the docs list every option and its values.'),
    )
  }
}

/** RPK_USAGE: A call or command line used ReplayKit the wrong way (the argument is named). */
export class UsageError extends ReplayKitError {
  static readonly code: ReplayKitErrorCode = 'RPK_USAGE'
  constructor(message: string, options: ReplayKitErrorOptions = {}) {
    super('RPK_USAGE', message, withHint(options, 'see `replaykit --help` or the docs of the function named.'))
  }
}

/** RPK_RUNTIME_CONFLICT: Another copy of ReplayKit in the process keeps its state in an incompatible runtime version. */
export class RuntimeConflictError extends ReplayKitError {
  static readonly code: ReplayKitErrorCode = 'RPK_RUNTIME_CONFLICT'
  constructor(message: string, options: ReplayKitErrorOptions = {}) {
    super(
      'RPK_RUNTIME_CONFLICT',
      message,
      withHint(
        options,
        'install one version of @replaykit/core (`npm ls @replaykit/core` shows which packages bring which).',
      ),
    )
  }
}

/** RPK_BAD_JOURNAL: A journal beside a recording is damaged (the line is named; only a torn last line is recovered). */
export class BadJournalError extends ReplayKitError {
  static readonly code: ReplayKitErrorCode = 'RPK_BAD_JOURNAL'
  /** 1-based line of the journal that is wrong, when one is. */
  readonly line: number | undefined
  constructor(message: string, options: ReplayKitErrorOptions & { line?: number } = {}) {
    super(
      'RPK_BAD_JOURNAL',
      message,
      withHint(
        options,
        'the journal was damaged after it was written (only its last line may be torn by a crash): restore it from a backup, or delete it to keep only what the .rpk beside it holds.',
      ),
    )
    this.line = options.line
  }
}

/** RPK_WRITE_FAILED for a write the file system refused, naming what was being written and why. */
export function writeFailed(file: string, what: string, cause: unknown): WriteFailedError {
  const why = cause instanceof Error ? cause.message : String(cause)
  return new WriteFailedError(`Failed to write ${what}: ${why}.`, {
    file,
    hint: 'check that the folder exists and is writable and that the disk has room, then run again.',
    cause,
  })
}

/** RPK_BAD_ADAPTER: A provider adapter handed to registerAdapter() has the wrong shape. */
export class AdapterShapeError extends ReplayKitError {
  static readonly code: ReplayKitErrorCode = 'RPK_BAD_ADAPTER'
  constructor(message: string, options: ReplayKitErrorOptions = {}) {
    super(
      'RPK_BAD_ADAPTER',
      message,
      withHint(
        options,
        'an adapter is an object with provider (a lower-case name), fields ({prompt, tools, toolCalls}: string arrays) and the functions endpointFor, summarizeRequest, summarizeResponse, refusalBody and promptText; see docs/providers.md "Writing an adapter".',
      ),
    )
  }
}

/** RPK_PORT_IN_USE: The gateway could not listen: another process holds the port (the port is named). */
export class PortInUseError extends ReplayKitError {
  static readonly code: ReplayKitErrorCode = 'RPK_PORT_IN_USE'
  constructor(message: string, options: ReplayKitErrorOptions = {}) {
    super(
      'RPK_PORT_IN_USE',
      message,
      withHint(options, 'pick another port (`--port 0` takes a free one), or stop what listens there.'),
    )
  }
}

/** Every class by its code: for the one place that re-raises a code it was handed (a worker's error rebuilt). */
/** RPK_BAD_PLUGIN: A plugin named in the config does not resolve, does not load, or is not a plugin (the module path is named). */
export class PluginError extends ReplayKitError {
  static readonly code: ReplayKitErrorCode = 'RPK_BAD_PLUGIN'
  constructor(message: string, options: ReplayKitErrorOptions = {}) {
    super(
      'RPK_BAD_PLUGIN',
      message,
      withHint(
        options,
        'a plugin is a module whose default (or `plugin`) export is { name, hooks, setup?, cleanup? }, named by a path relative to the project root in the `plugins` option; see docs/plugins.md.',
      ),
    )
  }
}

export const ERROR_CLASSES: {
  readonly [code in ReplayKitErrorCode]: new (
    message: string,
    options?: ReplayKitErrorOptions,
  ) => ReplayKitError
} = {
  RPK_UNREADABLE: UnreadableError,
  RPK_ENCODING: EncodingError,
  RPK_TRUNCATED: TruncatedError,
  RPK_INVALID_JSON: InvalidJsonError,
  RPK_NOT_JSON: NotJsonError,
  RPK_DUPLICATE_KEY: DuplicateKeyError,
  RPK_TOO_DEEP: TooDeepError,
  RPK_SCHEMA: SchemaError,
  RPK_FUTURE_VERSION: FutureVersionError,
  RPK_OLD_VERSION: OldVersionError,
  RPK_HASH_MISMATCH: HashMismatchError,
  RPK_SECRET_DETECTED: SecretDetectedError,
  RPK_WRITE_REFUSED: WriteRefusedError,
  RPK_WRITE_FAILED: WriteFailedError,
  RPK_LOCKED: LockedError,
  RPK_REPLAY_MISS: ReplayMissError,
  RPK_LATE_REQUEST: LateRequestError,
  RPK_NETWORK_BLOCKED: NetworkBlockedError,
  RPK_BAD_CONFIG: BadConfigError,
  RPK_USAGE: UsageError,
  RPK_RUNTIME_CONFLICT: RuntimeConflictError,
  RPK_BAD_JOURNAL: BadJournalError,
  RPK_BAD_ADAPTER: AdapterShapeError,
  RPK_BAD_PLUGIN: PluginError,
  RPK_PORT_IN_USE: PortInUseError,
}
