/**
 * How stored writes combine into runs: a whole run put under a key, or one
 * exchange's steps added to the end of a run. Shared by both stores, so that a
 * journal replayed on top of its `.rpk` gives the run the `.rpk` store would hold.
 */
import type { Run, Step } from '../artifact/types.js'
import type { JournalEntry } from './journal-format.js'

/** The run `key` with `steps` added at its end; a run not stored yet is started from the key. */
export function appendToRun(run: Run | undefined, key: string, steps: readonly Step[]): Run {
  const base = run ?? startRun(key)
  return { ...base, steps: [...base.steps, ...steps] }
}

/**
 * A new run for a key `"<name> <index>"` (store/run-key.ts): the name and the
 * counter are read back from it; a key without a counter is a name with index 1.
 * @note Its outcome is a plain `return`: a continuous capture (the gateway) has no function that
 * returns; a caller that knows better `put`s the whole run.
 */
export function startRun(key: string): Run {
  const at = key.lastIndexOf(' ')
  const counter = at > 0 ? key.slice(at + 1) : ''
  const index = /^[1-9]\d{0,8}$/.test(counter) ? Number(counter) : undefined
  return {
    name: index === undefined ? key : key.slice(0, at),
    index: index ?? 1,
    steps: [],
    outcome: { type: 'return' },
  }
}

/** The runs of a `.rpk` with journal entries applied in order. A Map: a run key is user text and may be `__proto__`. */
export function applyEntries(runs: Map<string, Run>, entries: Iterable<JournalEntry>): Map<string, Run> {
  for (const entry of entries) {
    if (entry.op === 'put') runs.set(entry.key, entry.run)
    else runs.set(entry.key, appendToRun(runs.get(entry.key), entry.key, entry.steps))
  }
  return runs
}
