import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { canonicalKey } from '../../src/artifact/canonical-json.js'
import { sameJson } from '../../src/diff/same-json.js'
import { jsonLike, reorderKeys } from '../fixtures/json-values.js'

describe('sameJson', () => {
  test('says equal exactly when the canonical texts are equal', () => {
    fc.assert(
      fc.property(jsonLike, jsonLike, fc.nat(1000), (a, b, seed) => {
        expect(sameJson(a, reorderKeys(a, seed))).toBe(true)
        expect(sameJson(a, b)).toBe(canonicalKey(a) === canonicalKey(b))
      }),
      { numRuns: 2000 },
    )
  })

  test('finds a change of one leaf, however deep', () => {
    fc.assert(
      fc.property(jsonLike, fc.nat(1000), (a, seed) => {
        const b = reorderKeys(a, seed) as Record<string | number, unknown>
        const paths = leafPaths(b)
        const path = paths[seed % Math.max(1, paths.length)]
        if (!path || path.length === 0) return
        let parent = b
        for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>
        Object.defineProperty(parent, path.at(-1) as string | number, { value: '\u0000changed', enumerable: true })
        expect(sameJson(a, b)).toBe(false)
        expect(canonicalKey(a)).not.toBe(canonicalKey(b))
      }),
    )
  })

  test('undefined members are absent, undefined items are null, -0 is 0', () => {
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true)
    expect(sameJson({ a: 1 }, { a: 1, b: undefined })).toBe(true)
    expect(sameJson([undefined, 1], [null, 1])).toBe(true)
    expect(sameJson([-0], [0])).toBe(true)
    expect(sameJson({ a: 1, b: undefined }, { a: 1, c: 2 })).toBe(false)
    expect(sameJson([1], [1, 2])).toBe(false)
    expect(sameJson({}, [])).toBe(false)
  })

  test('a member named by `omit` does not count at the top level only', () => {
    expect(sameJson({ a: 1, timing: { startMs: 1 } }, { a: 1 }, ['timing'])).toBe(true)
    expect(sameJson({ a: 1, timing: 1 }, { a: 1, timing: 2 }, ['timing'])).toBe(true)
    expect(sameJson({ a: { timing: 1 } }, { a: { timing: 2 } }, ['timing'])).toBe(false)
  })

  test('a value JSON cannot hold is not judged: the caller asks canonicalKey', () => {
    expect(sameJson({ a: Number.NaN }, { a: Number.NaN })).toBeUndefined()
    expect(sameJson([new Date(0)], [new Date(0)])).toBeUndefined()
    expect(sameJson({ f: () => 1 }, { f: 'x' })).toBeUndefined()
    expect(sameJson('x', 10n)).toBeUndefined()
  })

  test('does not judge when Object.prototype has an enumerable member (for-in would list it)', () => {
    const a = Object.assign(Object.create(null), { polluted: 1 })
    expect(sameJson({}, a)).toBe(false)
    Object.defineProperty(Object.prototype, 'polluted', {
      value: 1,
      enumerable: true,
      configurable: true,
      writable: true,
    })
    let judged: boolean | undefined
    try {
      judged = sameJson({}, a)
    } finally {
      delete (Object.prototype as { polluted?: number }).polluted
    }
    expect(judged).toBeUndefined()
    expect(sameJson({ x: 1 }, { x: 1 })).toBe(true)
  })

  test('a "__proto__" member is a member like any other', () => {
    expect(sameJson(JSON.parse('{"__proto__": {}}'), { x: 1 })).toBe(false)
    expect(sameJson(JSON.parse('{"__proto__": {}}'), {})).toBe(false)
    expect(sameJson(JSON.parse('{"__proto__": {"a": 1}}'), JSON.parse('{"__proto__": {"a": 1}}'))).toBe(true)
  })
})

/** Paths of the leaves written in canonical JSON (undefined members are not). */
function leafPaths(value: unknown, path: Array<string | number> = [], out: Array<Array<string | number>> = []) {
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined || Array.isArray(value))
        leafPaths(item, [...path, Array.isArray(value) ? Number(key) : key], out)
    }
  } else out.push(path)
  return out
}
