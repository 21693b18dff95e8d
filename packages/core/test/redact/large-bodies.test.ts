/**
 * What the redactor does differently for large response bodies, to hold them
 * once: a handed-over response is redacted in place, and a JSON document kept
 * as text has its strings redacted where they are. Either must give what the
 * copying, parsed redaction gives.
 */
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import type { HttpResponseData, JsonValue } from '../../src/artifact/types.js'
import { handOver, markJsonText } from '../../src/redact/hand-over.js'
import { createRedactor, findSecret, type RedactOptions, SECRET_PATTERNS } from '../../src/redact/index.js'
import { redactJson } from '../../src/redact/redact-json.js'
import { redactJsonText } from '../../src/redact/redact-json-text.js'
import { compileRules } from '../../src/redact/rules.js'
import { jsonWithText } from '../fixtures/json-with-text.js'
import { generableSource } from './pattern-source.js'

// Built by concatenation so that this file itself holds no literal that scanners flag.
const OPENAI_KEY = `sk-proj-${'A1b2C3d4E5'.repeat(3)}`
const GITHUB_TOKEN = `ghp_${'a1B2c3D4e5F6'.repeat(3)}`

const secret = fc.oneof(
  ...SECRET_PATTERNS.map(({ pattern }) => fc.stringMatching(new RegExp(`^(?:${generableSource(pattern.source)})$`))),
)
const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom('acct_12345678', 'id', 'name', '') },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.string({ maxLength: 6 }), secret, fc.constantFrom('', ' ', '"', '\n', '\\'))
      .map(([before, key, glue]) => `${before}${glue}${key}${glue}`),
  },
)
// Embedding-like arrays of numbers too: the in-place walk has a path of its own for them.
const json = jsonWithText(text, [fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 6 })])

const OPTIONS: Record<string, RedactOptions> = {
  defaults: {},
  'user patterns': { patterns: [/acct_\d{8}/, /^id$/i, /(na)me\1?/] },
  paths: { paths: ['$..name', '$[*]', 'a.b'] },
  policy: { policy: ({ name, value }) => (name.endsWith('.id') || value === true ? 'P' : undefined) },
}

/** Raise with REPLAYKIT_PROPERTY_RUNS for a longer search. */
const NUM_RUNS = Number(process.env.REPLAYKIT_PROPERTY_RUNS ?? 300)

/**
 * A JSON text of the value, spaced out when `spaced`, with every `every`-th letter of its strings
 * written as a \u escape (as some servers do): the parsed value is the same.
 */
function escapedJson(value: JsonValue, spaced: boolean, every: number): string {
  const gap = spaced ? '\n  ' : ''
  const string = (text: string): string => {
    let out = '"'
    for (let i = 0; i < text.length; i++) {
      const char = text[i] as string
      out +=
        every > 0 && i % every === 0 && /[a-z]/i.test(char)
          ? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
          : JSON.stringify(char).slice(1, -1)
    }
    return `${out}"`
  }
  const write = (item: JsonValue): string => {
    if (typeof item === 'string') return string(item)
    if (item === null || typeof item !== 'object') return JSON.stringify(item)
    if (Array.isArray(item)) return `[${gap}${item.map(write).join(`,${gap}`)}]`
    const members = Object.keys(item).map(
      (key) => `${string(key)}${spaced ? ' : ' : ':'}${write(item[key] as JsonValue)}`,
    )
    return `{${gap}${members.join(`,${gap}`)}}`
  }
  return write(value)
}

describe('in place, for a handed-over response', () => {
  test.each(Object.keys(OPTIONS))('gives what the copying redaction gives (%s)', (name) => {
    const options = OPTIONS[name] as RedactOptions
    fc.assert(
      fc.property(json, fc.array(json, { maxLength: 3 }), (body, events) => {
        const make = (): HttpResponseData => ({
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: { json: structuredClone(body) },
          stream: {
            format: 'sse',
            events: events.map((item) => ({ json: structuredClone(item) })),
            completion: 'clean',
          },
        })
        const seen: string[][] = [[], []]
        const track = (i: number): RedactOptions =>
          options.policy
            ? {
                ...options,
                policy: (context) => {
                  ;(seen[i] as string[]).push(`${context.location} ${context.name}`)
                  return options.policy?.(context)
                },
              }
            : options
        const copied = createRedactor(track(0)).response(make(), 'https://x.test/')
        const inPlace = createRedactor(track(1)).response(handOver(make()), 'https://x.test/')
        expect(inPlace).toEqual(copied)
        expect(seen[1]).toEqual(seen[0])
      }),
      { numRuns: NUM_RUNS },
    )
  })

  test('changes the handed-over body instead of copying it, and only that one', () => {
    const redactor = createRedactor()
    const tree: { list: { [key: string]: JsonValue }[] } = { list: [{ note: `key ${OPENAI_KEY}` }, { n: [0.5, 1.5] }] }
    const out = redactor.response(handOver({ status: 200, headers: {}, body: { json: tree } }))
    expect((out.body as { json: JsonValue }).json).toBe(tree)
    expect(tree.list[0]?.note).toBe('key [REDACTED:openai-key]')
    // The mark is used up: the same object again is copied.
    const response: HttpResponseData = { status: 200, headers: {}, body: { json: { k: OPENAI_KEY } } }
    const first = redactor.response(handOver(response))
    const second = redactor.response(response)
    expect(second.body).not.toBe(first.body)
  })

  test('rebuilds an object whose member name held a secret, keeping the order of members', () => {
    const tree = JSON.parse(`{"a":1,"${OPENAI_KEY}":{"b":"${GITHUB_TOKEN}"},"c":[true]}`) as JsonValue
    const out = createRedactor().response(handOver({ status: 200, headers: {}, body: { json: tree } }))
    expect(JSON.stringify(out.body)).toBe(
      '{"json":{"a":1,"[REDACTED:openai-key]":{"b":"[REDACTED:github-token]"},"c":[true]}}',
    )
  })
})

describe('a JSON document kept as text', () => {
  const rules = (options: RedactOptions) => compileRules(options)
  const scope = { location: 'body' as const, url: '', prefix: [] }

  test.each(['defaults', 'user patterns'])('has its strings redacted as the parsed value would (%s)', (name) => {
    const compiled = rules(OPTIONS[name] as RedactOptions)
    fc.assert(
      fc.property(json, fc.boolean(), fc.constantFrom(0, 1, 3, 7), (value, spaced, every) => {
        const text = escapedJson(value, spaced, every)
        const parsed = JSON.parse(text) as JsonValue
        const redacted = redactJsonText(text, compiled)
        expect(redacted).toBeDefined()
        expect(JSON.parse(redacted as string)).toEqual(redactJson(parsed, compiled, scope))
        if (name === 'defaults') expect(findSecret(JSON.stringify({ text: redacted }))).toBeUndefined()
      }),
      { numRuns: NUM_RUNS },
    )
  })

  test('writes back plainly a string whose escapes read as a secret where its decoded text does not', () => {
    // Found by the property above (seed 1637916913): `\u0041://$:$@` reads as URL credentials as written.
    const text = '{"k":"+\\u0041://$:$@"}'
    const redacted = redactJsonText(text, rules({})) as string
    expect(JSON.parse(redacted)).toEqual({ k: '+A://$:$@' })
    expect(findSecret(JSON.stringify({ text: redacted }))).toBeUndefined()
  })

  test('leaves a document without secrets as it is, byte for byte', () => {
    const text = '{ "a" : [1, -2.50e+3, true, false, null],\n\t"b": "\\u00e9\\/\\"", "c": {} }'
    expect(redactJsonText(text, rules({}))).toBe(text)
  })

  test('rewrites only the strings that change', () => {
    const text = `{"a" : "x\\/y", "k": "Bearer ${OPENAI_KEY}", "n": 1.50}`
    expect(redactJsonText(text, rules({}))).toBe('{"a" : "x\\/y", "k": "Bearer [REDACTED:openai-key]", "n": 1.50}')
  })

  test.each([
    ['plain text', `hello ${OPENAI_KEY}`],
    ['a value outside strings', `{"a": ${OPENAI_KEY}}`],
    ['a string left open', '{"a": "b'],
    ['a malformed escape', '{"a": "\\x41"}'],
  ])('is not taken for JSON when it is %s', (_, text) => {
    expect(redactJsonText(text, rules({}))).toBeUndefined()
  })

  test('falls back to plain-text redaction when the marked text is not JSON after all', () => {
    const body = markJsonText({ text: `{"a": ${OPENAI_KEY}}` })
    const out = createRedactor().response(handOver({ status: 200, headers: {}, body }))
    expect(out.body).toEqual({ text: '{"a": [REDACTED:openai-key]}' })
  })

  test('is parsed when paths or the policy need the parsed value', () => {
    const body = markJsonText({ text: `{"user": {"email": "a@b.test"}, "k": "${OPENAI_KEY}"}` })
    const out = createRedactor({ paths: ['$.user.email'] }).response(handOver({ status: 200, headers: {}, body }))
    expect(out.body).toEqual({ json: { user: { email: '[REDACTED:path]' }, k: '[REDACTED:openai-key]' } })
  })

  test('is redacted as plain text when it is not handed over', () => {
    const body = markJsonText({ text: `{"k": "${OPENAI_KEY}"}` })
    const out = createRedactor().response({ status: 200, headers: {}, body })
    expect(out.body).toEqual({ text: '{"k": "[REDACTED:openai-key]"}' })
  })
})

describe('pattern scan', () => {
  test('user patterns with their own flags or back-references are still applied', () => {
    const redactor = createRedactor({ patterns: [/SECRET-(\d)\1/i, /tok_(?<n>\d+)/] })
    expect(redactor.text(`a secret-11 b tok_42 ${OPENAI_KEY}`)).toBe(
      'a [REDACTED:pattern] b [REDACTED:pattern] [REDACTED:openai-key]',
    )
    expect(redactor.text('a secret-12 b')).toBe('a secret-12 b')
  })

  test('a string with nothing to redact comes back as the same string', () => {
    const redactor = createRedactor()
    const text = 'nothing "to" see\nhere'.repeat(1000)
    expect(redactor.text(text)).toBe(text)
  })
})
