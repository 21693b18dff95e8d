/**
 * Exit codes of `replaykit`, documented in docs/cli.md. CI scripts branch on
 * them, so they never change meaning.
 */
export const EXIT_CODES: { readonly ok: 0; readonly failed: 1; readonly usage: 2 } = {
  /** The command did what was asked; for `diff`, the files' runs are equal. */
  ok: 0,
  /** A divergence, a missing or extra run, or a slowdown failed `assert`; `diff` found a difference. */
  failed: 1,
  /** A usage error or bad input: unknown command or flag, missing argument, unreadable or invalid file. */
  usage: 2,
}

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES]
