/**
 * `@replaykit/core/errors`: the one error family (also re-exported by the
 * root). Small and free of side effects, so that the Jest sandbox and the CLI's
 * startup can load it alone.
 *
 * @note For the merger: a new failure gets a code in src/errors.ts (ERROR_CODES)
 * and a class in src/errors/classes.ts, exported here.
 */

export {
  AdapterShapeError,
  BadConfigError,
  BadJournalError,
  DuplicateKeyError,
  EncodingError,
  ERROR_CLASSES,
  FutureVersionError,
  HashMismatchError,
  InvalidJsonError,
  LateRequestError,
  LockedError,
  NetworkBlockedError,
  NotJsonError,
  OldVersionError,
  PluginError,
  PortInUseError,
  ReplayMissError,
  RuntimeConflictError,
  SchemaError,
  SecretDetectedError,
  TooDeepError,
  TruncatedError,
  UnreadableError,
  UsageError,
  WriteFailedError,
  WriteRefusedError,
} from '../errors/classes.js'
export type { ReplayKitErrorCode, ReplayKitErrorOptions } from '../errors.js'
export { ERROR_CODES, isReplayKitError, ReplayKitError } from '../errors.js'
