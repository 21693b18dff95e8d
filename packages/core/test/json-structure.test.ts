/**
 * The structure scan of a recording's bytes (duplicate members, depth, inexact
 * numbers) against simple reference definitions, on random JSON.
 */
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { isExactNumber } from '../src/artifact/exact-number.js'
import { findStructureProblem } from '../src/artifact/json-structure.js'

const RUNS = Number(process.env.REPLAYKIT_FUZZ_RUNS ?? 2000) / 10

/** JSON text built member by member, so that an object can have a key twice; with whether one has. */
type Built = { text: string; duplicate: boolean; depth: number }

const key = fc.oneof(
  fc.constantFrom('a', 'b', 'é', 'a"', 'a\\', '__proto__', '\u{1F600}', '\uFFFF', ''),
  fc.string({ maxLength: 3 }),
)
const { value: built } = fc.letrec<{ value: Built; object: Built; array: Built }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('1', '"x"', 'null', 'true', '-0.5', '1e5').map((text) => ({ text, duplicate: false, depth: 0 })),
    tie('object'),
    tie('array'),
  ),
  object: fc.array(fc.tuple(key, tie('value')), { maxLength: 5 }).map((members) => {
    const names = members.map(([name]) => name)
    return {
      text: `{ ${members.map(([name, value]) => `${JSON.stringify(name)} : ${value.text}`).join(',\n')} }`,
      duplicate: new Set(names).size < names.length || members.some(([, value]) => value.duplicate),
      depth: 1 + Math.max(0, ...members.map(([, value]) => value.depth)),
    }
  }),
  array: fc.array(tie('value'), { maxLength: 4 }).map((items) => ({
    text: `[${items.map((item) => item.text).join(', ')}]`,
    duplicate: items.some((item) => item.duplicate),
    depth: 1 + Math.max(0, ...items.map((item) => item.depth)),
  })),
}))

describe('findStructureProblem', () => {
  test('finds a duplicate member exactly when an object has a key twice (sorted or not, escaped or not)', () => {
    fc.assert(
      fc.property(built, (value) => {
        JSON.parse(value.text) // the generator makes valid JSON
        const problem = findStructureProblem(Buffer.from(value.text))
        expect(problem?.kind === 'duplicate').toBe(value.duplicate)
      }),
      { numRuns: RUNS },
    )
  })

  test('refuses nesting deeper than the limit, and only that', () => {
    fc.assert(
      fc.property(built, fc.integer({ min: 1, max: 6 }), (value, limit) => {
        if (value.duplicate) return
        const problem = findStructureProblem(Buffer.from(value.text), { maxDepth: limit })
        expect(problem?.kind === 'depth').toBe(value.depth > limit)
      }),
      { numRuns: RUNS },
    )
  })
})

describe('isExactNumber', () => {
  test('every double as JSON.stringify writes it is exact', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        expect(isExactNumber(JSON.stringify(n))).toBe(true)
      }),
      { numRuns: RUNS },
    )
  })

  test('an integer is exact exactly when the number JavaScript writes back denotes the same integer', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), (n) => {
        expect(isExactNumber(String(n))).toBe(integerOf(String(Number(n))) === n)
      }),
      { numRuns: RUNS },
    )
  })

  test('written back, a large integer may change notation but not value (found by the property)', () => {
    // JSON.stringify writes -1.1920928955078125e+23: the same decimal, so the parsed form may keep it.
    expect(isExactNumber('-119209289550781250000000')).toBe(true)
    // 2^70 is held exactly by a double but written back as 1.1805916207174113e+21, another decimal.
    expect(isExactNumber(String(2n ** 70n))).toBe(false)
  })

  test('numbers out of range are inexact, in any notation', () => {
    for (const token of ['1e400', '-1E+309', '1e-400', '0.1e-330', '123456789012345678901234567890']) {
      expect(isExactNumber(token), token).toBe(false)
    }
    for (const token of ['0e400', '0.000', '-0', '1.0', '1E2', '5e-324', '1.7976931348623157e308', '0.1']) {
      expect(isExactNumber(token), token).toBe(true)
    }
  })
})

/** The integer a decimal in JavaScript's number notation denotes; undefined when it is not one. */
function integerOf(text: string): bigint | undefined {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(text)
  if (!match) return undefined
  const [, sign = '', int = '', frac = '', exp = '0'] = match
  const shift = Number(exp) - frac.length
  let digits = int + frac
  if (shift < 0) {
    const cut = digits.slice(digits.length + shift)
    if (/[^0]/.test(cut)) return undefined
    digits = digits.slice(0, digits.length + shift) || '0'
  } else digits += '0'.repeat(shift)
  return BigInt(`${sign}${digits}`)
}
