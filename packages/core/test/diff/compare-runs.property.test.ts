import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { formatJsonPath, type PathSegment } from '../../src/artifact/json-path.js'
import type { JsonValue, Run, Step } from '../../src/artifact/types.js'
import { compareRuns } from '../../src/diff/index.js'

// JSON.parse makes an own `__proto__` member like any other key, as a loaded file would.
const json: fc.Arbitrary<JsonValue> = fc.json({ maxDepth: 3 }).map((text) => JSON.parse(text) as JsonValue)
const text = fc.string({ maxLength: 12 })
const headers = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), text, { maxKeys: 3 })
const body = fc.oneof(
  json.map((value) => ({ json: value })),
  text.map((value) => ({ text: value })),
)
const request = fc.record(
  { method: fc.constantFrom('GET', 'POST'), url: fc.webUrl(), headers, body },
  { requiredKeys: ['method', 'url', 'headers'] },
)
const response = fc.record(
  { status: fc.integer({ min: 100, max: 599 }), headers, body },
  { requiredKeys: ['status', 'headers'] },
)
const timing = fc.record({ startMs: fc.nat(1000), durationMs: fc.nat(1000) })

type StepContent = Omit<Step, 'seq' | 'correlationId'>
const stepContent: fc.Arbitrary<StepContent> = fc.oneof(
  fc.record({ kind: fc.constant('http.request' as const), request, timing }),
  fc.record({ kind: fc.constant('http.response' as const), response, timing }),
  fc.record({
    kind: fc.constant('model.request' as const),
    provider: fc.constantFrom('openai' as const, 'anthropic' as const, 'gemini' as const),
    endpoint: fc.constantFrom('chat.completions', 'messages', 'generateContent'),
    model: text,
    stream: fc.boolean(),
    request,
  }),
  fc.record(
    {
      kind: fc.constant('model.response' as const),
      provider: fc.constantFrom('openai' as const, 'anthropic' as const),
      text,
      toolCalls: fc.array(fc.record({ id: text, name: text, arguments: json }), { maxLength: 2 }),
      response,
    },
    { requiredKeys: ['kind', 'provider', 'response'] },
  ),
  fc.record({ kind: fc.constant('tool.request' as const), callId: text, name: text, arguments: json }),
  fc.record({ kind: fc.constant('tool.response' as const), callId: text, output: json }),
  fc.record({ kind: fc.constant('error.event' as const), message: text }),
) as fc.Arbitrary<StepContent>

const run: fc.Arbitrary<Run> = fc
  .record({
    steps: fc.array(stepContent, { minLength: 1, maxLength: 12 }),
    value: json,
    drawn: fc.array(
      fc.record({
        source: fc.constant('Math.random' as const),
        value: fc.double({ noNaN: true, noDefaultInfinity: true, min: 0, max: 1 }),
      }),
      { maxLength: 3 },
    ),
  })
  .map(({ steps, value, drawn }) => ({
    name: 'property',
    index: 1,
    steps: steps.map((content, i) => ({ ...content, seq: i, correlationId: `x${i}` }) as Step),
    outcome: { type: 'return' as const, value },
    drawn,
  }))

/** Every leaf of a value (primitives, empty arrays and objects), leaving out volatile timing. */
function leaves(value: unknown, path: PathSegment[] = [], out: PathSegment[][] = []): PathSegment[][] {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((item, i) => [i, item] as const) : Object.entries(value)
    if (entries.length === 0) out.push(path)
    for (const [key, item] of entries) if (key !== 'timing') leaves(item, [...path, key], out)
  } else {
    out.push(path)
  }
  return out
}

const SENTINEL = '\u0000changed by the property test'

function setAt(root: unknown, path: PathSegment[], value: unknown): void {
  let current = root as Record<string | number, unknown>
  for (const segment of path.slice(0, -1)) current = current[segment] as Record<string | number, unknown>
  Object.defineProperty(current, path.at(-1) as PathSegment, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  })
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

describe('compareRuns properties', () => {
  test('a run always equals itself and its copy', () => {
    fc.assert(
      fc.property(run, (r) => {
        expect(compareRuns(r, r).equal).toBe(true)
        const result = compareRuns(r, clone(r))
        expect(result.equal).toBe(true)
        expect(result.differences).toBe(0)
      }),
    )
  })

  test('a single change in a random step is found at that step and path, and nowhere else', () => {
    fc.assert(
      fc.property(run, fc.nat(), fc.nat(), (r, stepPick, leafPick) => {
        const index = stepPick % r.steps.length
        const paths = leaves(r.steps[index])
        const path = paths[leafPick % paths.length] as PathSegment[]
        const actual = clone(r)
        setAt(actual.steps[index], path, SENTINEL)
        const result = compareRuns(r, actual)
        expect(result.equal).toBe(false)
        expect(result.differences).toBe(1)
        expect(result.first?.step).toBe(index + 1)
        expect(result.first?.reason).toBe('changed')
        expect(result.first?.path).toBe(formatJsonPath(path))
        expect(result.first?.actual).toBe(SENTINEL)
        expect(result.first?.changes.length).toBeGreaterThan(0)
      }),
    )
  })
})
