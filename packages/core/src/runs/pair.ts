/**
 * Pairing the runs of two recordings by key and comparing each pair: what
 * `replaykit diff` shows and `replaykit assert` gates on.
 */
import type { RpkFile, Run } from '../artifact/types.js'
import { compareRuns } from '../diff/compare-runs.js'
import type { RunComparison } from '../diff/types.js'
import { runMatches } from './select.js'

/** One run key of either file: on both sides (compared), or only on one. */
export type RunPair =
  | { key: string; status: 'equal' | 'differ'; expected: Run; actual: Run; comparison: RunComparison }
  | { key: string; status: 'only-in-a'; expected: Run }
  | { key: string; status: 'only-in-b'; actual: Run }

/** Every run key of either file (filtered by `names` when given), in key order, with its comparison. */
export function pairRuns(a: RpkFile, b: RpkFile, names: readonly string[]): RunPair[] {
  const keys = [...new Set([...Object.keys(a.runs), ...Object.keys(b.runs)])].sort()
  const pairs: RunPair[] = []
  for (const key of keys) {
    const expected = a.runs[key]
    const actual = b.runs[key]
    const run = (expected ?? actual) as Run
    if (names.length > 0 && !names.some((name) => runMatches(key, run, name))) continue
    if (expected && actual) {
      const comparison = compareRuns(expected, actual)
      pairs.push({ key, status: comparison.equal ? 'equal' : 'differ', expected, actual, comparison })
    } else if (expected) {
      pairs.push({ key, status: 'only-in-a', expected })
    } else if (actual) {
      pairs.push({ key, status: 'only-in-b', actual })
    }
  }
  return pairs
}

/** How many pairs have `status`. */
export function countPairs(pairs: readonly RunPair[], status: RunPair['status']): number {
  return pairs.filter((pair) => pair.status === status).length
}
