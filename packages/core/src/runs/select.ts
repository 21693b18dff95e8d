/**
 * Picking runs of a recording by key (`"agent answers 1"`) or by name (every
 * index of that test): `--run NAME` in the CLI, and any viewer of a recording.
 */
import type { RpkFile, Run } from '../artifact/types.js'
import { UsageError } from '../errors/classes.js'

/** The runs of a file in key order, keeping those `names` select (all when `names` is empty). */
export function selectRuns(file: RpkFile, names: readonly string[]): Array<[string, Run]> {
  return Object.entries(file.runs)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .filter(([key, run]) => names.length === 0 || names.some((name) => runMatches(key, run, name)))
}

/** True when `name` is the run's key or its test name. */
export function runMatches(key: string, run: Run, name: string): boolean {
  return key === name || run.name === name
}

/**
 * Throws RPK_USAGE for the first name no file has a run for: a typo must not
 * silently select nothing (and pass an `assert`). `path` names each file in the error.
 */
export function checkRunNames(names: readonly string[], files: ReadonlyArray<{ path: string; rpk: RpkFile }>): void {
  for (const name of names) {
    const found = files.some(({ rpk }) => Object.entries(rpk.runs).some(([key, run]) => runMatches(key, run, name)))
    if (found) continue
    const keys = [...new Set(files.flatMap(({ rpk }) => Object.keys(rpk.runs)))].sort()
    const listed = keys.slice(0, 10).map((key) => JSON.stringify(key))
    const list =
      keys.length === 0 ? 'the file has no runs' : `its runs are ${listed.join(', ')}${keys.length > 10 ? ', …' : ''}`
    throw new UsageError(`Failed to select runs: no run has the key or name ${JSON.stringify(name)}.`, {
      file: files.map(({ path }) => path).join(', '),
      hint: `pass a run key or name with --run; ${list}.`,
    })
  }
}
