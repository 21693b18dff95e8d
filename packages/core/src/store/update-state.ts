/**
 * The update policy: whether a test run may write recordings, and which.
 *
 * A closed union like vitest's snapshot update state, with one line per value:
 * - `all`: re-record every run that executes (live, paid calls), and remove
 *   obsolete entries of files that ran completely. Only on request
 *   (`--update-replays=all`, `REPLAYKIT_UPDATE=all`).
 * - `changed`: an update run (`--update-replays`, `REPLAYKIT_UPDATE=1`): record
 *   what is missing, re-record only runs that diverge from their recording
 *   (replayed first, new or changed requests sent live), and leave matching runs
 *   and their files untouched.
 * - `new`: the local default: replay what is recorded, record what is missing.
 * - `none`: CI: write nothing; a missing recording fails with the command to make it.
 *
 * @note The runners' own `-u` / `--update` is deliberately not an input: it
 * updates `.snap` files, and re-recording a replay calls live APIs, which must
 * never happen as a side effect of refreshing snapshots.
 */
import { BadConfigError } from '../errors/classes.js'
import type { ReplayKitError } from '../errors.js'

export type UpdateState = 'all' | 'changed' | 'new' | 'none'

/** The values of `--update-replays=<value>` and `REPLAYKIT_UPDATE`, by name. */
export const UPDATE_STATES: readonly UpdateState[] = ['all', 'changed', 'new', 'none']

/**
 * The flag that asks for re-recording, given after `--` to vitest or to `replaykit test`:
 * `--update-replays` re-records what changed, `--update-replays=all` everything.
 */
export const UPDATE_FLAG = '--update-replays'

/** The environment variable that asks for re-recording (set by `replaykit test --update-replays`). */
export const UPDATE_ENV = 'REPLAYKIT_UPDATE'

/** The flag that lets an update run replace a `.rpk` that cannot be loaded (given to `replaykit test`). */
export const REPLACE_INVALID_FLAG = '--replace-invalid'

/** The environment variable `--replace-invalid` sets; read in every worker. */
export const REPLACE_INVALID_ENV = 'REPLAYKIT_REPLACE_INVALID'

const YES = ['1', 'true', 'yes', 'on']
const NO = ['', '0', 'false', 'no', 'off']
// The values REPLAYKIT_UPDATE takes, in the order the error lists them ('' only means unset).
const UPDATE_VALUES: ReadonlyArray<readonly [string, UpdateState | undefined]> = [
  ...UPDATE_STATES.map((v) => [v, v] as const),
  ...YES.map((v) => [v, 'changed'] as const),
  ...NO.map((v) => [v, undefined] as const),
]

export interface UpdateInputs {
  /** Environment to read `REPLAYKIT_UPDATE` and `CI` from. Default `process.env`. */
  env?: Record<string, string | undefined>
  /** Command line to look for `--update-replays` in. Default: none (only the main process has the flags). */
  argv?: readonly string[]
  /** The runner says it runs in CI (Jest's `--ci`). */
  ci?: boolean
}

/**
 * True when an environment flag is set to something that means yes. Lenient:
 * for variables other tools set (`CI`), never for ReplayKit's own.
 */
export function isTruthyEnv(value: string | undefined): boolean {
  if (value === undefined) return false
  const v = value.trim().toLowerCase()
  return v !== '' && v !== '0' && v !== 'false' && v !== 'no' && v !== 'off'
}

/**
 * True in CI: `CI` set to a true value (as GitHub, GitLab, CircleCI and most others do).
 *
 * @note Lenient on purpose: CI providers set `CI` to `true`, `1`, `woodpecker`, a build
 * number…, and any of those means CI. A typo here errs on the safe side (no writes).
 */
export function isCi(env: Record<string, string | undefined> = process.env): boolean {
  return isTruthyEnv(env.CI)
}

/**
 * Read a ReplayKit yes/no environment variable strictly. Unset means `false`;
 * a value outside `1/true/yes/on` and `0/false/no/off/''` throws RPK_BAD_CONFIG,
 * so a typo never silently becomes the default.
 */
export function readBooleanEnv(name: string, env: Record<string, string | undefined> = process.env): boolean {
  const value = env[name]
  if (value === undefined) return false
  const v = value.trim().toLowerCase()
  if (YES.includes(v)) return true
  if (NO.includes(v)) return false
  throw badEnv(name, value, [...YES, ...NO.filter((n) => n !== '')])
}

/**
 * The update state `REPLAYKIT_UPDATE` asks for: `changed` for `1/true/yes/on`,
 * `all`, `changed`, `new` or `none` by name, undefined when unset or `0/false/no/off/''` (then the
 * CI default applies). Anything else throws RPK_BAD_CONFIG.
 */
export function updateStateFromEnv(env: Record<string, string | undefined> = process.env): UpdateState | undefined {
  const value = env[UPDATE_ENV]
  if (value === undefined) return undefined
  const v = value.trim().toLowerCase()
  const known = UPDATE_VALUES.find(([name]) => name === v)
  if (known) return known[1]
  throw badEnv(
    UPDATE_ENV,
    value,
    UPDATE_VALUES.map(([name]) => name).filter((name) => name !== ''),
  )
}

function badEnv(name: string, value: string, allowed: string[]): ReplayKitError {
  return new BadConfigError(
    `Failed to read the environment: ${name}=${JSON.stringify(value)} is not one of ${allowed.join(', ')}.`,
    { file: name, hint: `set ${name} to one of ${allowed.join(', ')}, or unset it.` },
  )
}

/**
 * Decide the update state. An explicit request to re-record wins, even in CI
 * (that is a deliberate job); otherwise CI writes nothing and local runs record
 * what is missing. Throws RPK_BAD_CONFIG for a `REPLAYKIT_UPDATE` value outside
 * the documented ones.
 */
export function resolveUpdateState(inputs: UpdateInputs = {}): UpdateState {
  const env = inputs.env ?? process.env
  const fromEnv = updateStateFromEnv(env)
  const fromFlag = updateStateFromArgv(inputs.argv ?? [])
  if (fromFlag) return fromFlag
  if (fromEnv) return fromEnv
  if (inputs.ci === true || isCi(env)) return 'none'
  return 'new'
}

/**
 * The update state `--update-replays[=all|changed|new|none]` asks for, undefined
 * without the flag. The bare flag means `changed`. Throws RPK_BAD_CONFIG for
 * another value.
 */
export function updateStateFromArgv(argv: readonly string[]): UpdateState | undefined {
  let state: UpdateState | undefined
  for (const arg of argv) {
    if (arg === UPDATE_FLAG) state = 'changed'
    else if (arg.startsWith(`${UPDATE_FLAG}=`)) {
      const value = arg.slice(UPDATE_FLAG.length + 1)
      if (!UPDATE_STATES.includes(value as UpdateState)) {
        throw new BadConfigError(
          `Failed to read the arguments: ${arg} is not one of ${UPDATE_STATES.map((v) => `${UPDATE_FLAG}=${v}`).join(', ')}.`,
          {
            file: UPDATE_FLAG,
            hint: `use ${UPDATE_FLAG} (re-record what changed) or ${UPDATE_FLAG}=all (re-record everything).`,
          },
        )
      }
      state = value as UpdateState
    }
  }
  return state
}

/** True when an update run may replace a `.rpk` that cannot be loaded (`REPLAYKIT_REPLACE_INVALID`). */
export function resolveReplaceInvalid(env: Record<string, string | undefined> = process.env): boolean {
  return readBooleanEnv(REPLACE_INVALID_ENV, env)
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

/**
 * The command that re-records the missing and diverged runs of one test file
 * (live calls for those only); with `all`, every run of it (and removes its obsolete entries).
 */
export function updateCommand(testFile: string, update: 'changed' | 'all' = 'changed'): string {
  const flag = update === 'all' ? `${UPDATE_FLAG}=all` : UPDATE_FLAG
  return `npx replaykit test ${flag} ${quoteArg(testFile.split('\\').join('/'))}`
}

function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`
}
