/**
 * The update policy: whether a test run may write recordings, and which.
 *
 * A closed union like vitest's snapshot update state, with one line per value:
 * - `all`: re-record every run that executes (live, paid calls), and remove
 *   obsolete entries of files that ran completely. Only ever on request.
 * - `new`: the local default: replay what is recorded, record what is missing.
 * - `none`: CI: write nothing; a missing recording fails with the command to make it.
 *
 * @note The runners' own `-u` / `--update` is deliberately not an input: it
 * updates `.snap` files, and re-recording a replay calls live APIs, which must
 * never happen as a side effect of refreshing snapshots.
 */

export type UpdateState = 'all' | 'new' | 'none'

/** The flag that asks for re-recording, given after `--` to vitest or to `replaykit test`. */
export const UPDATE_FLAG = '--update-replays'

/** The environment variable that asks for re-recording (set by `replaykit test --update-replays`). */
export const UPDATE_ENV = 'REPLAYKIT_UPDATE'

export interface UpdateInputs {
  /** Environment to read `REPLAYKIT_UPDATE` and `CI` from. Default `process.env`. */
  env?: Record<string, string | undefined>
  /** Command line to look for `--update-replays` in. Default: none (only the main process has the flags). */
  argv?: readonly string[]
  /** The runner says it runs in CI (Jest's `--ci`). */
  ci?: boolean
}

/** True when an environment flag is set to something that means yes. */
export function isTruthyEnv(value: string | undefined): boolean {
  if (value === undefined) return false
  const v = value.trim().toLowerCase()
  return v !== '' && v !== '0' && v !== 'false' && v !== 'no' && v !== 'off'
}

/** True in CI: `CI` set to a true value (as GitHub, GitLab, CircleCI and most others do). */
export function isCi(env: Record<string, string | undefined> = process.env): boolean {
  return isTruthyEnv(env.CI)
}

/**
 * Decide the update state. An explicit request to re-record wins, even in CI
 * (that is a deliberate job); otherwise CI writes nothing and local runs record
 * what is missing.
 */
export function resolveUpdateState(inputs: UpdateInputs = {}): UpdateState {
  const env = inputs.env ?? process.env
  if (isTruthyEnv(env[UPDATE_ENV]) || (inputs.argv ?? []).includes(UPDATE_FLAG)) return 'all'
  if (inputs.ci === true || isCi(env)) return 'none'
  return 'new'
}

/** The test runners ReplayKit integrates with. */
export type RunnerName = 'vitest' | 'jest'

/**
 * The command that records what is missing in one test file: a local (non-CI)
 * run, whose default update state `new` records missing runs and replays the rest.
 * `testFile` should be relative to the project root.
 */
export function recordCommand(testFile: string, runner: RunnerName): string {
  const file = quoteArg(testFile.split('\\').join('/'))
  return runner === 'vitest' ? `npx vitest run ${file}` : `npx jest ${file}`
}

/** The command that re-records every run of one test file (live calls). */
export function updateCommand(testFile: string): string {
  return `npx replaykit test --update-replays ${quoteArg(testFile.split('\\').join('/'))}`
}

function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`
}
