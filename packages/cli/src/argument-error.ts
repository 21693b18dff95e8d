/**
 * A mistake in the command line, found while `main` reads it: the usage error
 * to report, built as core's `UsageError` only when it is reported.
 *
 * @note Not `usageError()` at once: that needs core's error classes, and
 * loading them (`@replaykit/core/errors`, resolved through the package's
 * exports) was about a fifth of what the CLI adds to Node's own start, paid by
 * every `--version`, `--help` and command line before anything could fail
 * (docs/performance.md, benchmark 10). A command that runs loads core anyway;
 * a command line that is wrong pays for the classes when it is reported.
 */
import type { ReplayKitError } from '@replaykit/core/errors'

export class ArgumentError extends Error {
  readonly hint: string
  readonly argument: string | undefined

  constructor(message: string, hint: string, argument?: string) {
    super(message)
    this.name = 'ArgumentError'
    this.hint = hint
    this.argument = argument
  }
}

/** A usage error about `argument`, to be thrown while reading the command line (see the note above). */
export function argumentError(message: string, hint: string, argument?: string): ArgumentError {
  return new ArgumentError(message, hint, argument)
}

/** `error` as the error to report: an `ArgumentError` becomes core's `UsageError`, anything else is left as it is. */
export async function reportable(error: unknown): Promise<unknown> {
  if (!(error instanceof ArgumentError)) return error
  const { usageError } = await import('./usage-error.js')
  const usage: ReplayKitError = usageError(error.message, error.hint, error.argument)
  return usage
}
