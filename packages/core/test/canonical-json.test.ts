import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  canonicalizeText,
  canonicalKey,
  canonicalStringify,
  computeContentHash,
  type JsonValue,
  ReplayKitError,
} from '../src/index.js'

/** JSON values as JSON.parse returns them (no -0: JSON text cannot tell it from 0 after parsing anyway). */
const json: fc.Arbitrary<JsonValue> = fc.jsonValue() as fc.Arbitrary<JsonValue>

/** Rebuild objects with their keys in a random order, recursively. */
function shuffleKeys(value: JsonValue, seed: number): JsonValue {
  if (Array.isArray(value)) return value.map((item, i) => shuffleKeys(item, seed + i))
  if (value === null || typeof value !== 'object') return value
  const keys = Object.keys(value)
  keys.sort((a, b) => ((a.length * 31 + seed) % 7) - ((b.length * 31 + seed) % 7) || (seed % 2 ? 1 : -1))
  const out: Record<string, JsonValue> = {}
  for (const key of keys) out[key] = shuffleKeys(value[key] as JsonValue, seed + 1)
  return out
}

describe('canonicalStringify', () => {
  test('writes sorted keys, 2-space indent, \\n line ends and a trailing newline', () => {
    expect(canonicalStringify({ b: 1, a: { d: [true, null], c: 'x' } })).toBe(
      '{\n  "a": {\n    "c": "x",\n    "d": [\n      true,\n      null\n    ]\n  },\n  "b": 1\n}\n',
    )
    expect(canonicalStringify({ e: [], o: {} })).toBe('{\n  "e": [],\n  "o": {}\n}\n')
  })

  test('has one number format', () => {
    expect(canonicalKey([-0, 1e21, 0.1, 1.5e-7, 100, 2 ** 53])).toBe('[0,1e+21,0.1,1.5e-7,100,9007199254740992]')
  })

  test('leaves out undefined members and refuses what JSON cannot hold, naming the path', () => {
    expect(canonicalKey({ a: undefined, b: 1 })).toBe('{"b":1}')
    expect(() => canonicalKey({ a: [1, Number.NaN] })).toThrowError(/\$\.a\[1\] is NaN/)
    expect(() => canonicalKey({ when: new Date(0) })).toThrowError(ReplayKitError)
    expect(() => canonicalKey({ n: 10n })).toThrowError(/bigint/)
  })

  test('round-trips every JSON value', () => {
    fc.assert(
      fc.property(json, (value) => {
        // Equal to what JSON itself reads back (JSON has no -0).
        expect(JSON.parse(canonicalStringify(value))).toEqual(JSON.parse(JSON.stringify(value)))
      }),
    )
  })

  test('is idempotent', () => {
    fc.assert(
      fc.property(json, (value) => {
        const once = canonicalStringify(value)
        expect(canonicalizeText(once)).toBe(once)
      }),
    )
  })

  test('does not depend on key order', () => {
    fc.assert(
      fc.property(json, fc.integer({ min: 0, max: 1000 }), (value, seed) => {
        expect(canonicalStringify(shuffleKeys(value, seed))).toBe(canonicalStringify(value))
      }),
    )
  })

  test('does not depend on the whitespace of the input text', () => {
    fc.assert(
      fc.property(json, fc.constantFrom(0, 1, 4, '\t', ' \r\n '), (value, space) => {
        const text = typeof space === 'number' ? JSON.stringify(value, null, space) : JSON.stringify(value, null, space)
        expect(canonicalizeText(text)).toBe(canonicalStringify(value))
      }),
    )
  })

  test('gives a stable hash: equal content, equal hash; different content, different hash', () => {
    fc.assert(
      fc.property(json, json, fc.integer({ min: 0, max: 1000 }), (a, b, seed) => {
        const run = (value: JsonValue) => ({
          runs: { 't 1': { name: 't', index: 1, steps: [], outcome: { type: 'return' as const, value } } },
        })
        expect(computeContentHash(run(shuffleKeys(a, seed)))).toBe(computeContentHash(run(a)))
        if (canonicalKey(a) !== canonicalKey(b)) {
          expect(computeContentHash(run(a))).not.toBe(computeContentHash(run(b)))
        }
      }),
    )
  })
})
