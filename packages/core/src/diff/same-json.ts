/**
 * Whether two values have the same canonical JSON, found by walking both at
 * once instead of writing both texts and comparing them: no text and no sorted
 * copy is built, and the walk stops at the first difference. This is what keeps
 * the first-divergence pass cheap on runs of 100,000 steps.
 *
 * Equal canonical JSON means: an undefined member is an absent one, an
 * undefined array item is null, -0 is 0, key order does not count.
 */
import { isPlainObject } from '../artifact/canonical-writer.js'

/**
 * True when equal, false when different, undefined when the walk met
 * something JSON cannot hold (NaN, a Date, a function…): the caller then asks
 * `canonicalKey`, which names it in a typed error. `omit` lists members of the
 * two top-level objects that do not count (a step's `timing`), so that the
 * caller need not copy them to leave them out.
 */
export function sameJson(a: unknown, b: unknown, omit: readonly string[] = NONE): boolean | undefined {
  // The walk lists members with for-in, which would also list inherited ones.
  if (!prototypeIsClean()) return undefined
  return same(a, b, omit)
}

const NONE: readonly string[] = []

function same(a: unknown, b: unknown, omit: readonly string[] = NONE): boolean | undefined {
  switch (typeof a) {
    case 'string':
    case 'boolean':
      if (a === b) return true
      return isJsonType(b) ? false : undefined
    case 'number':
      if (!Number.isFinite(a)) return undefined
      if (a === b) return true
      return isJsonType(b) ? false : undefined
    case 'object':
      if (a === null) {
        if (b === null) return true
        return isJsonType(b) ? false : undefined
      }
      if (typeof b !== 'object' || b === null) return isJsonType(b) ? false : undefined
      if (Array.isArray(a)) return Array.isArray(b) ? sameArray(a, b) : isPlainObject(b) ? false : undefined
      if (!isPlainObject(a)) return undefined
      if (Array.isArray(b)) return false
      if (!isPlainObject(b)) return undefined
      return sameObject(a as Record<string, unknown>, b as Record<string, unknown>, omit)
    default:
      return undefined
  }
}

function sameArray(a: unknown[], b: unknown[]): boolean | undefined {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) {
    // Canonical JSON writes an undefined item (or a hole) as null.
    const equal = same(a[i] ?? null, b[i] ?? null)
    if (equal !== true) return equal
  }
  return true
}

/**
 * @note for-in rather than Object.keys: it allocates nothing (V8 walks the
 * shape's cached key list), which halves the cost of the pass. With no
 * enumerable member on Object.prototype (checked by the caller) it lists the
 * own members, as Object.keys does.
 */
function sameObject(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
  omit: readonly string[],
): boolean | undefined {
  let members = 0
  for (const key in a) {
    const valueA = a[key]
    if (valueA === undefined || (omit.length > 0 && omit.includes(key))) continue
    members++
    // b["__proto__"] without such a member would be b's prototype.
    const valueB = key === '__proto__' && !Object.hasOwn(b, key) ? undefined : b[key]
    if (valueB === undefined) return false
    const equal = same(valueA, valueB)
    if (equal !== true) return equal
  }
  // Every member of a is in b with the same value; b is equal when it has no other member.
  for (const key in b) {
    if (b[key] !== undefined && !(omit.length > 0 && omit.includes(key)) && --members < 0) return false
  }
  return members === 0
}

/** No enumerable member was added to Object.prototype (prototype pollution), so for-in lists own members only. */
function prototypeIsClean(): boolean {
  for (const _ in Object.prototype) return false
  return true
}

/** Whether canonical JSON can write the value (else `canonicalKey` throws RPK_NOT_JSON, naming where). */
export function isJson(value: unknown): boolean {
  if (!isJsonType(value)) return false
  if (value === null || typeof value !== 'object') return true
  if (Array.isArray(value)) {
    // Undefined items (and holes) are written as null.
    for (let i = 0; i < value.length; i++) if (value[i] !== undefined && !isJson(value[i])) return false
    return true
  }
  for (const key of Object.keys(value)) {
    const member = (value as Record<string, unknown>)[key]
    if (member !== undefined && !isJson(member)) return false
  }
  return true
}

/** A value canonical JSON can write (at least at its top level: objects are checked when walked). */
function isJsonType(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true
    case 'number':
      return Number.isFinite(value)
    case 'object':
      return value === null || Array.isArray(value) || isPlainObject(value)
    default:
      return false
  }
}
