/**
 * Errors about how the command was called (exit code 2), in the one error
 * family of ReplayKit: "Failed to X: why", the argument, and the fix.
 */
import { type ReplayKitError, UsageError } from '@replaykit/core/errors'

/** A usage error about `argument` (a flag, a command name or a file given on the command line). */
export function usageError(message: string, hint: string, argument?: string): ReplayKitError {
  return new UsageError(message, argument === undefined ? { hint } : { file: argument, hint })
}
