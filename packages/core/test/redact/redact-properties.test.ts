import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { canonicalStringify } from '../../src/artifact/canonical-json.js'
import type { HttpResponseData } from '../../src/artifact/types.js'
import { createRedactor, findSecret, SECRET_PATTERNS } from '../../src/redact/index.js'
import { jsonWithText } from '../fixtures/json-with-text.js'
import { generableSource } from './pattern-source.js'

/** A value matching each built-in pattern: generated from the pattern itself, so new patterns are covered too. */
const secretOf = (source: string): fc.Arbitrary<string> =>
  fc.stringMatching(new RegExp(`^(?:${generableSource(source)})$`))

const secrets = SECRET_PATTERNS.map(({ pattern }) => secretOf(pattern.source))
const anySecret = fc.oneof(...secrets)

/** Text with a secret somewhere in it, sometimes glued to its neighbours. */
const textWithSecret = fc
  .tuple(fc.string({ maxLength: 8 }), anySecret, fc.string({ maxLength: 8 }), fc.constantFrom('', ' ', '\n', '"'))
  .map(([before, secret, after, glue]) => `${before}${glue}${secret}${glue}${after}`)

const text = fc.oneof({ weight: 2, arbitrary: fc.string() }, { weight: 1, arbitrary: textWithSecret })

/** Random JSON whose strings and member names hold secrets from every pattern at random places. */
const json = jsonWithText(text)

const response = fc
  .tuple(json, fc.array(json, { maxLength: 4 }), fc.array(text, { maxLength: 3 }), fc.dictionary(fc.string(), text))
  .map(
    ([body, eventJson, eventData, headers]): HttpResponseData => ({
      status: 200,
      headers,
      body: { json: body },
      stream: {
        format: 'sse',
        events: [...eventJson.map((item) => ({ json: item })), ...eventData.map((data) => ({ data }))],
        completion: 'clean',
      },
    }),
  )

/** Decode each run of valid escapes; leave malformed ones as they are. */
function lenientDecode(text: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run)
    } catch {
      return run
    }
  })
}

/** Raise with REPLAYKIT_PROPERTY_RUNS for a longer search. */
const NUM_RUNS = Number(process.env.REPLAYKIT_PROPERTY_RUNS ?? 300)

describe('redaction properties', () => {
  const redactor = createRedactor()

  test('every pattern generator makes values the pattern finds', () => {
    for (const [i, arbitrary] of secrets.entries()) {
      for (const value of fc.sample(arbitrary, 20)) expect(findSecret(value)?.name).toBeDefined()
      expect(SECRET_PATTERNS[i]).toBeDefined()
    }
  })

  test('redacted JSON holds no match of any pattern, even as written to a .rpk', () => {
    fc.assert(
      fc.property(json, (value) => {
        const out = redactor.json(value)
        expect(findSecret(canonicalStringify(out))).toBeUndefined()
      }),
      { numRuns: NUM_RUNS },
    )
  })

  test('redacted responses, stream events included, hold no match of any pattern', () => {
    fc.assert(
      fc.property(response, (value) => {
        expect(findSecret(canonicalStringify(redactor.response(value)))).toBeUndefined()
      }),
      { numRuns: NUM_RUNS / 2 },
    )
  })

  test('redacting twice equals redacting once', () => {
    fc.assert(
      fc.property(json, (value) => {
        const once = redactor.json(value)
        expect(redactor.json(once)).toEqual(once)
      }),
      { numRuns: NUM_RUNS },
    )
    fc.assert(
      fc.property(response, (value) => {
        const once = redactor.response(value)
        expect(redactor.response(once)).toEqual(once)
      }),
      { numRuns: NUM_RUNS / 2 },
    )
  })

  test('text and URLs: no pattern left, and idempotent', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        const url = redactor.url(`https://x.test/${encodeURIComponent(a)}?q=${encodeURIComponent(b)}&key=${b}`)
        const line = redactor.text(`${a} ${b}`)
        expect(findSecret(line)).toBeUndefined()
        expect(findSecret(url)).toBeUndefined()
        expect(findSecret(lenientDecode(url))).toBeUndefined()
        expect(redactor.url(url)).toBe(url)
        expect(redactor.text(line)).toBe(line)
      }),
      { numRuns: NUM_RUNS },
    )
  })
})
