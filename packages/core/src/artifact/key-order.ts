/**
 * The sorted key order of an object, remembered per key sequence.
 *
 * Objects recorded by the same code have the same keys in the same order (a
 * step of each kind, a request, its headers, a chat message), and sorting the
 * keys of each one costs more than the rest of the canonical pass. So the order
 * is sorted once per distinct sequence and looked up afterwards: the lookup
 * compares the sequence with a remembered one, key by key (property keys are
 * interned, so each comparison is usually a pointer comparison).
 */

/** The canonical order of one key sequence. */
export interface KeyOrder {
  /** The keys sorted, or undefined when they already are. */
  sorted: string[] | undefined
  /**
   * An integer-like key (which V8 lists first, in numeric order, whatever the
   * insertion order) or "__proto__" (which plain assignment does not add as a
   * member) is among them: a copy needs the careful path.
   */
  special: boolean
}

interface Remembered extends KeyOrder {
  keys: string[]
}

/** Sequences remembered per first key: enough for the shapes one body or step kind takes. */
const PER_FIRST_KEY = 8
/** Bound on the memory for values with many distinct shapes; starting over costs only sorting again. */
const MAX_FIRST_KEYS = 2048

const INDEX_LIKE = /^(?:0|[1-9]\d*)$/

const remembered = new Map<string, Remembered[]>()

/** The canonical order of these keys (as `Object.keys` lists them; not empty). */
export function keyOrder(keys: string[]): KeyOrder {
  const first = keys[0] as string
  let list = remembered.get(first)
  if (list !== undefined) {
    for (let e = 0; e < list.length; e++) {
      const known = (list[e] as Remembered).keys
      if (known.length === keys.length && sameFrom(known, keys, 1)) return list[e] as Remembered
    }
  } else {
    if (remembered.size >= MAX_FIRST_KEYS) remembered.clear()
    list = []
    remembered.set(first, list)
  }
  const order = computeOrder(keys)
  if (list.length < PER_FIRST_KEY) list.push(order)
  return order
}

function computeOrder(keys: string[]): Remembered {
  let sorted = true
  let special = false
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string
    const first = key.charCodeAt(0)
    if ((first >= 48 && first <= 57 && INDEX_LIKE.test(key)) || key === '__proto__') special = true
    if (i > 0 && (keys[i - 1] as string) > key) sorted = false
  }
  // A copy: the caller's array is remembered as the sequence to compare with.
  return { keys, sorted: sorted ? undefined : [...keys].sort(), special }
}

function sameFrom(a: string[], b: string[], from: number): boolean {
  for (let i = from; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
