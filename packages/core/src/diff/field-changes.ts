/**
 * Field-level changes of one step, with json-diff-ts.
 *
 * @note json-diff-ts costs more than linear time in the size of what it diffs
 * (50k items take seconds), so it only ever sees one step, never a whole run.
 * @note Loaded at the first diff, not at import: a test worker whose replays
 * all pass never diffs a field, and loading it was a part of every worker's
 * setup (docs/performance.md, benchmark 8).
 */
import type { IAtomicChange } from 'json-diff-ts'
import type { JsonValue } from '../artifact/types.js'
import { jsonDiff } from '../lazy-deps.js'
import { type FieldChange, MAX_FIELD_CHANGES } from './types.js'

/** The changes that turn `expected` into `actual`, capped, plus how many were left out. */
export function fieldChanges(
  expected: unknown,
  actual: unknown,
  cap: number = MAX_FIELD_CHANGES,
): { changes: FieldChange[]; omitted: number } {
  const { atomizeChangeset, diff } = jsonDiff()
  const atoms = atomizeChangeset(diff(expected, actual))
  const changes: FieldChange[] = []
  for (let i = 0; i < atoms.length; i++) {
    const atom = atoms[i] as IAtomicChange
    const next = atoms[i + 1]
    // The Operation enum's values are these strings.
    const type = String(atom.type) as FieldChange['type']
    // A type change comes as REMOVE then ADD at the same path: one update to a reader.
    if (type === 'REMOVE' && next && String(next.type) === 'ADD' && next.path === atom.path) {
      changes.push(change('UPDATE', atom.path, atom.value, next.value))
      i++
    } else if (type === 'REMOVE') {
      changes.push(change('REMOVE', atom.path, atom.value, undefined))
    } else {
      changes.push(change(type, atom.path, atom.oldValue, atom.value))
    }
  }
  return { changes: changes.slice(0, cap), omitted: Math.max(0, changes.length - cap) }
}

function change(type: FieldChange['type'], path: string, oldValue: unknown, value: unknown): FieldChange {
  // json-diff-ts names the root of a non-object `$.$root`; the root is `$`.
  const out: FieldChange = { type, path: path.replace(/^\$\.\$root/, '$') }
  if (oldValue !== undefined && type !== 'ADD') out.oldValue = oldValue as JsonValue
  if (value !== undefined && type !== 'REMOVE') out.value = value as JsonValue
  return out
}
