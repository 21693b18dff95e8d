/**
 * The first place two JSON values differ, found by walking both at once.
 *
 * Linear in the size of the values and stops at the first difference, so it is
 * cheap enough to run on every differing step (json-diff-ts is kept for the one
 * step a report shows in detail).
 */
import type { PathSegment } from '../artifact/json-path.js'
import type { JsonValue } from '../artifact/types.js'

/**
 * Keys looked at first and last. A different `kind` or outcome `type` explains
 * everything below it; raw responses, headers and the ids assigned in run order
 * (`seq`, `correlationId`) change along with the content that matters, so the
 * normalised fields (`text`, `toolCalls`, the request body) are reported before them.
 */
const FIRST = ['kind', 'type']
const LAST = ['response', 'headers', 'statusText', 'correlationId', 'seq']

/** Segments of the first differing path, or undefined when the values are equal. */
export function firstDifference(expected: unknown, actual: unknown): PathSegment[] | undefined {
  const path: PathSegment[] = []
  return walk(expected, actual, path) ? path : undefined
}

/** The value at a path, or undefined when the path does not exist. */
export function valueAt(value: unknown, path: readonly PathSegment[]): JsonValue | undefined {
  let current: unknown = value
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined
    current = (current as Record<string | number, unknown>)[segment]
  }
  return current as JsonValue | undefined
}

/** True when the values differ; `path` then holds the first differing position. */
function walk(a: unknown, b: unknown, path: PathSegment[]): boolean {
  if (a === b) return false
  const typeA = typeOf(a)
  if (typeA !== typeOf(b) || (typeA !== 'array' && typeA !== 'object')) return true
  if (typeA === 'array') return walkArray(a as unknown[], b as unknown[], path)
  return walkObject(a as Record<string, unknown>, b as Record<string, unknown>, path)
}

function walkArray(a: unknown[], b: unknown[], path: PathSegment[]): boolean {
  const length = Math.max(a.length, b.length)
  for (let i = 0; i < length; i++) {
    path.push(i)
    if (i >= a.length || i >= b.length || walk(a[i], b[i], path)) return true
    path.pop()
  }
  return false
}

function walkObject(a: Record<string, unknown>, b: Record<string, unknown>, path: PathSegment[]): boolean {
  for (const key of orderedKeys(a, b)) {
    path.push(key)
    // An undefined member is an absent one, as in canonical JSON.
    const inA = a[key] !== undefined
    const inB = b[key] !== undefined
    if (inA !== inB || walk(a[key], b[key], path)) return true
    path.pop()
  }
  return false
}

function orderedKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  const rank = (key: string): number => {
    const first = FIRST.indexOf(key)
    if (first >= 0) return first - FIRST.length
    return LAST.indexOf(key) + 1
  }
  return [...keys].sort((x, y) => rank(x) - rank(y) || (x < y ? -1 : x > y ? 1 : 0))
}

function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}
