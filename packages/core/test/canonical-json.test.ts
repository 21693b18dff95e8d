import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { canonicalForm, NO_FORM } from '../src/artifact/canonical-form.js'
import { writeCanonical } from '../src/artifact/canonical-writer.js'
import {
  canonicalizeText,
  canonicalKey,
  canonicalStringify,
  computeContentHash,
  type JsonValue,
  ReplayKitError,
} from '../src/index.js'
import { jsonLike, reorderKeys } from './fixtures/json-values.js'
import { sampleRun } from './fixtures/sample-runs.js'

/** JSON values as JSON.parse returns them (no -0: JSON text cannot tell it from 0 after parsing anyway). */
const json: fc.Arbitrary<JsonValue> = fc.jsonValue() as fc.Arbitrary<JsonValue>

/** Rebuild objects with their keys in a random order, recursively. */
function shuffleKeys(value: JsonValue, seed: number): JsonValue {
  if (Array.isArray(value)) return value.map((item, i) => shuffleKeys(item, seed + i))
  if (value === null || typeof value !== 'object') return value
  const keys = Object.keys(value)
  keys.sort((a, b) => ((a.length * 31 + seed) % 7) - ((b.length * 31 + seed) % 7) || (seed % 2 ? 1 : -1))
  const out: Record<string, JsonValue> = {}
  // defineProperty: fast-check generates "__proto__" keys, which plain assignment would not add as members.
  for (const key of keys) {
    const member = shuffleKeys(value[key] as JsonValue, seed + 1)
    Object.defineProperty(out, key, { value: member, enumerable: true, writable: true, configurable: true })
  }
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

describe('the fast writer (canonical form + JSON.stringify)', () => {
  test('gives the bytes of the reference writer for every value', () => {
    fc.assert(
      fc.property(jsonLike, fc.nat(1000), (v, seed) => {
        expect(canonicalStringify(v)).toBe(writeCanonical(v, 2))
        expect(canonicalKey(v)).toBe(writeCanonical(v, 0))
        const reordered = reorderKeys(v, seed)
        expect(canonicalStringify(reordered)).toBe(writeCanonical(v, 2))
        // Shapes met again take the remembered key order (key-order.ts).
        expect(canonicalKey([v, reordered, v])).toBe(writeCanonical([v, v, v], 0))
      }),
      { numRuns: 2000 },
    )
  })

  test('gives the bytes of the reference writer for objects with integer-like keys', () => {
    const value = { '10': 1, '9': 2, a: 3, '-1': 4, ' ': 5 }
    expect(canonicalKey(value)).toBe('{" ":5,"-1":4,"10":1,"9":2,"a":3}')
    expect(canonicalForm(value)).toBe(NO_FORM)
    // Integer-like keys whose numeric and text orders agree stay on the fast path.
    expect(canonicalForm({ b: { '50256': -100 }, a: { '1': 1, '2': 2, x: 3 } })).not.toBe(NO_FORM)
    expect(canonicalKey({ b: { '50256': -100 }, a: { '2': 2, x: 3, '1': 1 } })).toBe(
      '{"a":{"1":1,"2":2,"x":3},"b":{"50256":-100}}',
    )
    const proto = JSON.parse('{"b": 1, "__proto__": {"x": 1}, "a": 2}')
    expect(canonicalKey(proto)).toBe('{"__proto__":{"x":1},"a":2,"b":1}')
  })

  test('uses a value that is already canonical as it is, without copying', () => {
    const parsed = JSON.parse(canonicalStringify(sampleRun()))
    expect(canonicalForm(parsed)).toBe(parsed)
  })

  test('reports a value JSON cannot hold with its path, as the reference writer does', () => {
    const bad = { b: [1, { c: Number.POSITIVE_INFINITY }], a: 'x' }
    expect(() => canonicalStringify(bad)).toThrowError('the value at $.b[1].c is Infinity')
    expect(() => canonicalKey([() => 1])).toThrowError('the value at $[0] is function')
    expect(() => canonicalKey(undefined)).toThrowError('the value at $ is undefined')
  })
})
