/**
 * The fast paths of loading and writing (canonical forms formed once, the hash
 * checked as read, the joined secret scan) give what the reference paths give:
 * the same bytes, the same hashes, the same errors.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { writeCanonical } from '../src/artifact/canonical-writer.js'
import { anySecretPattern, joinPatterns, PREFILTERS, scanForSecret } from '../src/artifact/secret-scan.js'
import { sealText } from '../src/artifact/text-hash.js'
import type { RpkContent } from '../src/artifact/write.js'
import {
  type Body,
  buildRpk,
  computeContentHash,
  findSecret,
  parseRpk,
  type Run,
  SECRET_PATTERNS,
  serializeRpk,
  writeRpkFile,
} from '../src/index.js'
import { sampleRun } from './fixtures/sample-runs.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-fast-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** A run whose request body has keys V8 lists first, in an order the fast writer cannot keep. */
function withIntegerKeys(order: 'agreeing' | 'disagreeing'): Run {
  const run = sampleRun()
  const step = run.steps[0] as { request: { body: { json: Record<string, unknown> } } }
  step.request.body.json.logit_bias = order === 'agreeing' ? { '50256': -100 } : { '10': 1, '9': 2, a: 3 }
  return run
}

const contents: Array<[string, RpkContent]> = [
  ['a plain run', { runs: { 'agent answers 1': sampleRun() }, source: 'agent.test.ts' }],
  [
    'several runs, written run by run, keys that need escaping',
    {
      runs: {
        'b 1': sampleRun('b'),
        'quote " and \\ back 1': sampleRun('q'),
        'ünïcødé ✓ 1': sampleRun('u'),
        'a 2': sampleRun('a', 2),
      },
      blobs: { [`sha256:${'b'.repeat(64)}`]: { text: '\n  "runs": {}' } },
      source: 'agent.test.ts',
    },
  ],
  ['integer-like keys the fast writer keeps', { runs: { 'a 1': withIntegerKeys('agreeing') } }],
  ['integer-like keys only the reference writer orders', { runs: { 'a 1': withIntegerKeys('disagreeing') } }],
  // The writer orders run keys itself (formed-writer.ts), not in the order V8 lists them.
  ['run keys V8 lists first, in an order not canonical', { runs: { '9': sampleRun('n'), '10': sampleRun('t') } }],
  ['blobs', { runs: { 'a 1': sampleRun() }, blobs: { [`sha256:${'b'.repeat(64)}`]: { text: 'large' } } }],
  [
    'blobs with nothing in them',
    // As JavaScript callers can pass: a member left undefined is written as an empty object.
    { runs: { 'a 1': sampleRun() }, blobs: { [`sha256:${'b'.repeat(64)}`]: undefined as unknown as Body } },
  ],
  [
    'undefined members',
    { runs: { 'b 1': { ...sampleRun(), drawn: undefined }, 'a 1': { ...sampleRun('a'), timing: undefined } } },
  ],
]

describe('writeRpkFile', () => {
  test.each(contents)('writes the bytes and hash of the reference writer: %s', (_name, content) => {
    const file = join(dir, 'a.rpk')
    const { contentHash } = writeRpkFile(file, content)
    const text = readFileSync(file, 'utf8')
    const updatedAt = JSON.parse(text).meta.updatedAt as string
    const built = buildRpk(content, new Date(updatedAt))
    // The reference writer's text, sealed (text-hash.ts): the seal is the only line it adds.
    expect(text).toBe(sealText(writeCanonical(built, 2)))
    expect(text).toBe(serializeRpk(built))
    expect(contentHash).toBe(built.contentHash)
    expect(contentHash).toBe(computeContentHash(content))
  })

  test('a value JSON cannot hold is reported as before: in the hash first, else in the text', () => {
    const inStep = sampleRun()
    ;(inStep.steps[1] as { usage: { inputTokens: number } }).usage.inputTokens = Number.NaN
    expect(() => writeRpkFile(join(dir, 'a.rpk'), { runs: { 'a 1': inStep } })).toThrowError(
      'the value at $.runs.a 1.steps[1].usage.inputTokens is NaN',
    )
    const inTiming = sampleRun()
    inTiming.timing = { totalMs: Number.POSITIVE_INFINITY, networkMs: 0, ownMs: 0 }
    expect(() => writeRpkFile(join(dir, 'a.rpk'), { runs: { 'a 1': inTiming } })).toThrowError(
      'the value at $.runs.a 1.timing.totalMs is Infinity',
    )
  })
})

describe('the writer writes a large run step by step', () => {
  test("no indented text of a whole run is made, and the bytes are the reference writer's", () => {
    const run = sampleRun('long ünïcødé')
    const [request, response] = run.steps
    run.steps = []
    for (let i = 0; i < 150; i++) {
      run.steps.push({ ...request, seq: 2 * i, correlationId: `x${i}` } as Run['steps'][number])
      run.steps.push({ ...response, seq: 2 * i + 1, correlationId: `x${i}` } as Run['steps'][number])
    }
    const content = { runs: { 'long ünïcødé 1': run, 'short 1': sampleRun('short') } }
    const file = join(dir, 'long.rpk')
    const stringify = vi.spyOn(JSON, 'stringify')
    let indented: number[]
    try {
      writeRpkFile(file, content)
      indented = stringify.mock.calls.flatMap((call, i) => {
        const result = stringify.mock.results[i]?.value
        return call[2] === 2 && typeof result === 'string' ? [result.length] : []
      })
    } finally {
      stringify.mockRestore()
    }
    const text = readFileSync(file, 'utf8')
    expect(text.length).toBeGreaterThan(200_000)
    // A step is about 1.5 kB of indented text; the run around its steps less than that.
    expect(Math.max(...indented)).toBeLessThan(4096)
    const built = buildRpk(content, new Date(JSON.parse(text).meta.updatedAt as string))
    expect(text).toBe(sealText(writeCanonical(built, 2)))
  })
})

describe('parseRpk', () => {
  test('a file whose keys were reordered by hand still loads: the canonical hash decides', () => {
    const text = serializeRpk(buildRpk({ runs: { 'a 1': sampleRun() } }))
    const reordered = JSON.stringify(
      JSON.parse(text, (_key, value) =>
        value && typeof value === 'object' && !Array.isArray(value)
          ? Object.fromEntries(Object.entries(value).reverse())
          : value,
      ),
      null,
      2,
    )
    expect(reordered).not.toBe(text)
    expect(parseRpk(reordered).runs).toEqual(parseRpk(text).runs)
  })

  test('a tampered file names the canonical hash it computed', () => {
    const file = JSON.parse(serializeRpk(buildRpk({ runs: { 'a 1': sampleRun() } })))
    file.runs['a 1'].outcome.value = 'edited'
    const computed = computeContentHash(file)
    expect(() => parseRpk(JSON.stringify(file))).toThrowError(`computed ${computed.slice(0, 'sha256:'.length + 12)}…`)
  })
})

describe('the secret scan of a file being written', () => {
  const secrets = [
    `sk-proj-${'A1b2C3d4E5'.repeat(3)}`,
    `ghp_${'a1B2c3D4e5F6'.repeat(3)}`,
    'AKIAABCDEFGH23456723',
    `Bearer ${'t0k3n'.repeat(4)}`,
    '-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----',
    `eyJ${'a'.repeat(20)}.eyJ${'b'.repeat(20)}.${'c'.repeat(12)}`,
  ]

  test('finds what findSecret finds, pattern and offset', () => {
    const clean = serializeRpk(buildRpk({ runs: { 'a 1': sampleRun() } }))
    expect(scanForSecret(clean)).toBeUndefined()
    for (const secret of secrets) {
      const text = clean.replace('It is 12°C in Oslo.', `It is 12°C in Oslo. ${secret}`)
      expect(scanForSecret(text)).toEqual(findSecret(text))
      expect(scanForSecret(text)).toBeDefined()
    }
    // Several secrets: the first pattern in the list wins, wherever its match is.
    const both = `${secrets[5]} then ${secrets[0]}`
    expect(scanForSecret(both)).toEqual(findSecret(both))
  })

  test('asks whether any pattern matches (joined for a short text, each alone for a long one): the same answer as findSecret', () => {
    const clean = serializeRpk(buildRpk({ runs: { 'a 1': sampleRun() } }))
    expect(clean.length).toBeGreaterThan(1000)
    for (const around of [clean, 'It is 12°C in Oslo. ']) {
      expect(anySecretPattern(around)).toBe(false)
      for (const secret of [...secrets, 'postgres://admin:hunter2@db.internal:5432/app']) {
        const text = `${around}${secret}`
        expect(anySecretPattern(text)).toBe(findSecret(text) !== undefined)
        expect(anySecretPattern(text)).toBe(true)
      }
    }
  })

  test('joins the patterns only when that keeps their meaning', () => {
    expect(joinPatterns(SECRET_PATTERNS)).toBeInstanceOf(RegExp)
    expect(
      joinPatterns([
        { name: 'a', pattern: /a/g },
        { name: 'b', pattern: /b/gi },
      ]),
    ).toBeNull()
    expect(joinPatterns([{ name: 'a', pattern: /(a)\1/g }])).toBeNull()
    expect(joinPatterns([{ name: 'a', pattern: /(?<x>a)/g }])).toBeNull()
  })

  test('a prefilter matches wherever its pattern does (it may match more, never less)', () => {
    const userinfo = SECRET_PATTERNS.find(({ name }) => name === 'userinfo')?.pattern as RegExp
    const prefilter = PREFILTERS.userinfo as RegExp
    const texts = [
      'https://user:pass@host',
      'git+ssh://deploy:t0k3n@github.com/a/b',
      '"url": "http://a:b@c", "other": "x://y:z@w"',
      'http://user:pa:ss@host',
      'see https://api.openai.com/v1/chat:completions@2 and mailto:a@b',
      'x://:@', // no user: neither matches
    ]
    for (const text of texts) {
      const matches = [...text.matchAll(new RegExp(userinfo.source, 'g'))]
      if (matches.length > 0) expect(prefilter.test(text)).toBe(true)
      for (const match of matches) {
        // The same match with `://` before it and `@` after it.
        expect(prefilter.exec(text.slice(match.index - 3))?.index).toBe(0)
      }
    }
    expect(prefilter.test('https://api.openai.com/v1/chat/completions')).toBe(false)
  })
})
