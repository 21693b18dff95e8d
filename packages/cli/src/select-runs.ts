/**
 * `--run NAME`: pick runs by key (`"agent answers 1"`) or by name (every index).
 */
import type { RpkFile, Run } from '@replaykit/core'
import { usageError } from './usage-error.js'

/** The runs of a file in key order, keeping those `names` select (all when `names` is empty). */
export function selectRuns(file: RpkFile, names: readonly string[]): Array<[string, Run]> {
  return Object.entries(file.runs)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .filter(([key, run]) => names.length === 0 || names.some((name) => matches(key, run, name)))
}

export function matches(key: string, run: Run, name: string): boolean {
  return key === name || run.name === name
}

/**
 * Throws a usage error for each name no file has a run for: a typo must not
 * silently select nothing (and pass an `assert`).
 */
export function checkRunNames(names: readonly string[], files: ReadonlyArray<{ path: string; rpk: RpkFile }>): void {
  for (const name of names) {
    const found = files.some(({ rpk }) => Object.entries(rpk.runs).some(([key, run]) => matches(key, run, name)))
    if (found) continue
    const keys = [...new Set(files.flatMap(({ rpk }) => Object.keys(rpk.runs)))].sort()
    const listed = keys.slice(0, 10).map((key) => JSON.stringify(key))
    const list =
      keys.length === 0 ? 'the file has no runs' : `its runs are ${listed.join(', ')}${keys.length > 10 ? ', …' : ''}`
    throw usageError(
      `Failed to select runs: no run has the key or name ${JSON.stringify(name)}.`,
      `pass a run key or name with --run; ${list}.`,
      files.map(({ path }) => path).join(', '),
    )
  }
}

/**
 * The values of a repeatable string option, read from the raw arguments.
 *
 * @note Not from cac's parsed options: its parser (mri) turns numeric-looking
 * values into numbers (`--run 007` would select "7") and a missing value into
 * `true`, which cannot be told from a run named "true".
 */
export function rawOptionValues(argv: readonly string[], flag: string): string[] {
  const values: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--') break
    if (arg.startsWith(`${flag}=`)) {
      values.push(arg.slice(flag.length + 1))
    } else if (arg === flag) {
      const next = argv[i + 1]
      if (next === undefined || next.startsWith('-')) {
        throw usageError(
          `Failed to read the arguments: option \`${flag} <name>\` needs a value.`,
          `write ${flag} "<run key or name>" (or ${flag}=<name> for a name that starts with "-").`,
          flag,
        )
      }
      values.push(next)
      i++
    }
  }
  return values
}
