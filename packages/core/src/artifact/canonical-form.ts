/**
 * The fast path of canonical JSON: one pass that checks a value is JSON and
 * returns a value whose native `JSON.stringify` text is the canonical text.
 *
 * `JSON.stringify` already has the canonical number and string forms, leaves
 * out undefined members and writes undefined array items as null; what it does
 * not do is sort keys. It writes them in `Object.keys` order, so an object
 * whose keys are already sorted is used as it is (a file read from disk is
 * all sorted, and costs no copy) and any other object is copied with its keys
 * inserted in sorted order (key-order.ts remembers that order per shape).
 *
 * @note V8 lists integer-like keys ("0", "9", "10") first, in numeric order,
 * whatever the insertion order, so a copy with such keys may still come out
 * unsorted ("9" before "10"). Those objects are checked after copying; when
 * the order is still wrong (or the value is not JSON at all) the answer is
 * NO_FORM and the caller uses the reference writer, which also names the path
 * of a value JSON cannot hold.
 */
import { isPlainObject } from './canonical-writer.js'
import { MAX_JSON_DEPTH } from './json-structure.js'
import { keyOrder } from './key-order.js'

/** Returned when only the reference writer can give the canonical text. */
export const NO_FORM: unique symbol = Symbol('no canonical form')

/** Thrown inside the pass to give up at once, however deep. */
const GIVE_UP: unique symbol = Symbol('give up')

/**
 * A value that `JSON.stringify` writes canonically (the value itself when it
 * already is), or NO_FORM. `known` holds values already in canonical form,
 * which are taken as they are (so a caller can form parts once and reuse them).
 * `depth` is the value's nesting in what it is part of (a run is formed alone at the depth it
 * has inside the runs), so that the depth limit falls where it would for the whole.
 */
export function canonicalForm(value: unknown, known?: ReadonlySet<unknown>, depth = 0): unknown {
  try {
    return form(value, known, depth)
  } catch (error) {
    if (error === GIVE_UP) return NO_FORM
    throw error
  }
}

function form(value: unknown, known: ReadonlySet<unknown> | undefined, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value
    case 'number':
      if (!Number.isFinite(value)) throw GIVE_UP
      return value
    case 'object':
      if (value === null) return null
      if (known?.has(value)) return value
      // Too deep for a recording: the reference writer says where (and no stack overflows here).
      if (depth >= MAX_JSON_DEPTH) throw GIVE_UP
      if (Array.isArray(value)) return formArray(value, known, depth + 1)
      if (!isPlainObject(value)) throw GIVE_UP
      return formObject(value as Record<string, unknown>, known, depth + 1)
    default:
      throw GIVE_UP
  }
}

function formArray(value: unknown[], known: ReadonlySet<unknown> | undefined, depth: number): unknown[] {
  // JSON.stringify would call it; the reference writer ignores it.
  if ((value as { toJSON?: unknown }).toJSON !== undefined) throw GIVE_UP
  let copy: unknown[] | undefined
  for (let i = 0; i < value.length; i++) {
    const item = value[i]
    // undefined (and a hole) stays: JSON.stringify writes null, as the reference writer does.
    const formed = item === undefined ? item : form(item, known, depth)
    if (copy !== undefined) copy.push(formed)
    else if (formed !== item) {
      copy = value.slice(0, i)
      copy.push(formed)
    }
  }
  return copy ?? value
}

function formObject(value: Record<string, unknown>, known: ReadonlySet<unknown> | undefined, depth: number): object {
  const keys = Object.keys(value)
  if (keys.length === 0) return value
  const { sorted, special } = keyOrder(keys)
  if (sorted === undefined) {
    // Keys in order (as in any file read from disk): copy only if a member had to be copied.
    let copy: Record<string, unknown> | undefined
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string
      const member = value[key]
      if (member === undefined) continue
      const formed = form(member, known, depth)
      if (copy === undefined) {
        if (formed === member) continue
        copy = {}
        for (let j = 0; j < i; j++) setMember(copy, keys[j] as string, value[keys[j] as string])
      }
      setMember(copy, key, formed)
    }
    if (copy !== undefined && special && !isSortedKeys(copy)) throw GIVE_UP
    return copy ?? value
  }
  const copy: Record<string, unknown> = {}
  if (special) {
    for (let i = 0; i < sorted.length; i++) {
      const key = sorted[i] as string
      const member = value[key]
      if (member !== undefined) setMember(copy, key, form(member, known, depth))
    }
    if (!isSortedKeys(copy)) throw GIVE_UP
    return copy
  }
  for (let i = 0; i < sorted.length; i++) {
    const key = sorted[i] as string
    const member = value[key]
    if (member !== undefined) copy[key] = form(member, known, depth)
  }
  return copy
}

function setMember(target: Record<string, unknown>, key: string, member: unknown): void {
  if (member === undefined) return
  // Plain assignment of "__proto__" would set the prototype instead of adding a member.
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value: member, enumerable: true, writable: true, configurable: true })
  } else target[key] = member
}

function isSortedKeys(value: object): boolean {
  const keys = Object.keys(value)
  for (let i = 1; i < keys.length; i++) if ((keys[i - 1] as string) > (keys[i] as string)) return false
  return true
}
