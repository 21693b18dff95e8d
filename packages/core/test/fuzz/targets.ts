/**
 * Fuzz targets: the parsers (the `.rpk` reader, the SSE parser, URL
 * normalisation), the canonicaliser, the redactor and the run comparison, each
 * with an arbitrary of awkward inputs and a property. Run by fuzz.test.ts (a
 * quick pass in `npm test`) and by `npm run fuzz` (100,000 cases).
 */
import fc from 'fast-check'
import { corpusRun, goodRpkText } from '../../../../test/utils/bad-rpk-corpus.js'
import {
  canonicalizeText,
  canonicalStringify,
  compareRuns,
  createRedactor,
  type JsonValue,
  parseRpk,
  type Run,
  SseParser,
  type Step,
  serializeSseEvent,
} from '../../src/index.js'
import { normalizeUrl } from '../../src/public/engine.js'
import { jsonLike } from '../fixtures/json-values.js'

export interface FuzzTarget<T = unknown> {
  name: string
  /** Share of the total case count. */
  weight: number
  input: fc.Arbitrary<T>
  /** Returns, or throws a ReplayKitError; anything else thrown is a crash. Checks its own property. */
  check: (input: T) => void
}

const GOOD = goodRpkText()

/** Splice random text into a good file: the inputs a reader meets (bad merges, truncation, hand edits). */
const mutatedFile = fc
  .tuple(
    fc.nat({ max: GOOD.length }),
    fc.nat({ max: 40 }),
    fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.constantFrom(
        '{',
        '}',
        '[',
        ']',
        ',',
        ':',
        '"',
        '\\',
        '\u0000',
        '\uFEFF',
        '1e400',
        '"runs": {}',
        '"__proto__"',
      ),
      fc.json({ maxDepth: 3 }),
    ),
  )
  .map(([at, remove, insert]) => GOOD.slice(0, at) + insert + GOOD.slice(at + remove))

/** A good file with one value somewhere replaced by arbitrary JSON: schema-valid files that are wrong. */
const revaluedFile = fc.tuple(fc.nat(), fc.json({ maxDepth: 2 })).map(([pick, json]) => {
  const value = JSON.parse(GOOD) as JsonValue
  const spots: Array<[Record<string, JsonValue> | JsonValue[], string | number]> = []
  const walk = (node: JsonValue): void => {
    if (node === null || typeof node !== 'object') return
    for (const key of Object.keys(node)) {
      spots.push([node, Array.isArray(node) ? Number(key) : key])
      walk((node as Record<string, JsonValue>)[key] as JsonValue)
    }
  }
  walk(value)
  const [parent, key] = spots[pick % spots.length] as [Record<string, JsonValue>, string]
  parent[key] = JSON.parse(json) as JsonValue
  return JSON.stringify(value, null, 2)
})

const rpkReader: FuzzTarget<string | Uint8Array> = {
  name: '.rpk reader (parseRpk)',
  weight: 30,
  input: fc.oneof(
    mutatedFile,
    revaluedFile,
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.uint8Array({ maxLength: 200 }),
    mutatedFile.map((text) => Buffer.from(text, 'latin1') as Uint8Array),
  ),
  check: (input) => {
    try {
      parseRpk(input, 'fuzz.rpk')
    } catch (error) {
      if ((error as { file?: string }).file !== 'fuzz.rpk')
        throw new Error(`the error does not name the file: ${error}`)
      throw error
    }
  },
}

const sseToken = fc.oneof(
  fc.constantFrom('data:', 'data: ', 'event: ', 'id: ', ': comment', 'retry: 5', '\n', '\r\n', '\r', '\n\n', ' '),
  fc.constantFrom('{"a":1}', '[DONE]', '{"n":12345678901234567890123}', '{"x":1e400}', '{'),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
)

const sseParser: FuzzTarget<string[]> = {
  name: 'SSE parser (SseParser)',
  weight: 20,
  input: fc.array(
    fc.array(sseToken, { maxLength: 12 }).map((parts) => parts.join('')),
    { maxLength: 8 },
  ),
  check: (chunks) => {
    const parser = new SseParser()
    const events = chunks.flatMap((chunk, i) => parser.push(chunk, i))
    events.push(...parser.end(chunks.length).events)
    // What was parsed serialises, and parses back to the same events (pacing aside).
    const text = events.map((event) => serializeSseEvent(event, parser.lineEnding)).join('')
    const again = new SseParser()
    const reparsed = [...again.push(text), ...again.end().events]
    const strip = (list: typeof events) => list.map(({ atMs: _atMs, ...event }) => event)
    if (JSON.stringify(strip(reparsed)) !== JSON.stringify(strip(events))) {
      throw new Error(`SSE round trip changed the events: ${JSON.stringify(chunks)}`)
    }
  },
}

const urlInput = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc
    .tuple(
      fc.constantFrom('http://', 'https://', 'HTTP://', 'http://user:pass@'),
      fc.constantFrom('a.example', 'A.EXAMPLE:443', '127.0.0.1:80', '[::1]', 'xn--bcher-kva.example'),
      fc.string({ maxLength: 30 }),
    )
    .map(([scheme, host, rest]) => `${scheme}${host}/${rest}`),
)

const urls: FuzzTarget<string> = {
  name: 'URL normalisation (normalizeUrl)',
  weight: 10,
  input: urlInput.filter((url) => URL.canParse(url)),
  check: (url) => {
    const once = normalizeUrl(url)
    if (normalizeUrl(once) !== once) throw new Error(`normalizeUrl is not idempotent on ${JSON.stringify(url)}`)
  },
}

const canonical: FuzzTarget<unknown> = {
  name: 'canonical JSON (canonicalStringify)',
  weight: 15,
  input: jsonLike,
  check: (value) => {
    const text = canonicalStringify(value)
    // The canonical form round-trips: reading it and writing it again gives the same bytes.
    if (canonicalizeText(text) !== text) throw new Error('canonical text does not round-trip')
    if (canonicalStringify(JSON.parse(text)) !== text) throw new Error('canonical value does not round-trip')
  },
}

const secretLike = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom('sk-', 'sk-proj-', 'eyJ', 'ghp_', 'AKIA', 'Bearer ', 'AIza', 'ya29.', 'xoxb-', '=', '.', '%2F'),
  fc.stringMatching(/^[A-Za-z0-9_\-.]{10,60}$/),
)
const redactInput = fc.record({
  json: fc.letrec<{ json: JsonValue }>((tie) => ({
    json: fc.oneof(
      { depthSize: 'small' },
      fc.array(secretLike, { maxLength: 4 }).map((parts) => parts.join('')),
      fc.integer(),
      fc.constant(null),
      fc.array(tie('json'), { maxLength: 3 }),
      fc.dictionary(
        fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('password', 'api_key', 'token', '__proto__')),
        tie('json'),
        { maxKeys: 3 },
      ),
    ),
  })).json,
  text: fc.array(secretLike, { maxLength: 8 }).map((parts) => parts.join('')),
  url: urlInput.filter((url) => URL.canParse(url)),
})

const redactor = createRedactor()
const redaction: FuzzTarget<{ json: JsonValue; text: string; url: string }> = {
  name: 'redactor (createRedactor)',
  weight: 15,
  input: redactInput as fc.Arbitrary<{ json: JsonValue; text: string; url: string }>,
  check: ({ json, text, url }) => {
    redactor.json(json)
    const once = redactor.text(text)
    if (redactor.text(once) !== once) throw new Error(`text redaction is not stable on ${JSON.stringify(text)}`)
    redactor.url(url)
    redactor.request({ method: 'POST', url, headers: { authorization: text }, body: { json } })
  },
}

/** Runs made from the corpus run's steps, removed, repeated, reordered and with bodies replaced. */
const BASE_STEPS = corpusRun().steps
const fuzzRun: fc.Arbitrary<Run> = fc
  .record({
    picks: fc.array(fc.nat({ max: BASE_STEPS.length - 1 }), { maxLength: 10 }),
    bodies: fc.array(fc.json({ maxDepth: 2 }), { maxLength: 10 }),
    value: fc.json({ maxDepth: 2 }),
  })
  .map(({ picks, bodies, value }) => {
    const steps = picks.map((pick, seq) => {
      const step = structuredClone(BASE_STEPS[pick]) as Step
      const body = bodies[seq]
      if (body !== undefined && (step.kind === 'http.response' || step.kind === 'model.response')) {
        step.response.body = { json: JSON.parse(body) as JsonValue }
        delete step.response.stream
      }
      return { ...step, seq }
    })
    return { name: 'fuzz', index: 1, steps, outcome: { type: 'return' as const, value: JSON.parse(value) } }
  })

const diff: FuzzTarget<[Run, Run]> = {
  name: 'run comparison (compareRuns)',
  weight: 10,
  input: fc.tuple(fuzzRun, fuzzRun),
  check: ([a, b]) => {
    const result = compareRuns(a, b)
    if (!compareRuns(a, a).equal) throw new Error('a run differs from itself')
    if (result.equal !== compareRuns(b, a).equal) throw new Error('compareRuns is not symmetric in equality')
  },
}

export const FUZZ_TARGETS: FuzzTarget[] = [rpkReader, sseParser, urls, canonical, redaction, diff] as FuzzTarget[]
