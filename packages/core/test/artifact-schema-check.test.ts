import { readFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { compileSchemaCheck } from '../src/artifact/schema-check.js'
import { buildRpk, rpkSchemaV1, serializeRpk, validateRpk } from '../src/index.js'
import { sampleRun } from './fixtures/sample-runs.js'

const ajv = new Ajv2020({ allErrors: false, strict: false }).compile(rpkSchemaV1)
const check = compileSchemaCheck(rpkSchemaV1)

const blob = `sha256:${'a'.repeat(64)}`
/** Valid files: the committed example recordings, and one with every step kind, a stream and a blob. */
const files: unknown[] = [
  ...['vitest-agent/test/__snapshots__/agent.test.ts.rpk', 'jest-agent/test/__snapshots__/agent.test.js.rpk'].map(
    (path) => JSON.parse(readFileSync(new URL(`../../../examples/${path}`, import.meta.url), 'utf8')),
  ),
  JSON.parse(
    serializeRpk(
      buildRpk({
        runs: {
          'a 1': sampleRun(),
          'b 1': {
            name: 'b',
            index: 1,
            outcome: { type: 'throw', error: { name: 'Error', message: 'boom' } },
            steps: [
              { kind: 'http.request', seq: 0, correlationId: 'x1', request: { method: 'GET', url: 'u', headers: {} } },
              {
                kind: 'http.response',
                seq: 1,
                correlationId: 'x1',
                response: {
                  status: 200,
                  headers: {},
                  stream: { format: 'sse', lineEnding: '\r\n', events: [{ data: 'a', atMs: 1 }], completion: 'clean' },
                },
              },
              { kind: 'error.event', seq: 2, correlationId: 'x2', message: 'refused', code: 'ECONNREFUSED' },
              { kind: 'tool.response', seq: 3, correlationId: 'x1', callId: 'c', output: null, isError: true },
            ],
            drawn: [{ source: 'crypto.randomUUID', value: 'u' }],
          },
        },
        blobs: { [blob]: { text: 'large' } },
      }),
    ),
  ),
]

/** Values an edit puts in: some keep a file valid, most do not, a few only Ajv's number rules refuse. */
const replacement = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    0,
    -1,
    1.5,
    999,
    1000,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    '',
    'x',
    blob,
    'sha256:xyz',
    '1.2.3',
    'sse',
    'clean',
    'http.request',
    'model.response',
    'openai',
    'return',
    'Math.random',
    [],
    {},
    { json: 1 },
    { text: 'a', base64: 'b' },
    { blob },
  ),
  fc.jsonValue({ maxDepth: 2 }),
)

type Edit = { type: 'set' | 'delete' | 'add'; pick: number; key: string; value: unknown }
const edit: fc.Arbitrary<Edit> = fc.record({
  type: fc.constantFrom('set' as const, 'delete' as const, 'add' as const),
  pick: fc.nat(),
  key: fc.constantFrom('kind', 'json', 'text', 'stream', 'atMs', 'timing', 'extra', 'startMs', 'body', 'value', '0'),
  value: replacement,
})

/** Every object and array in a value, with the member names or indexes inside it. */
function containers(value: unknown, out: Array<Record<string | number, unknown>> = []) {
  if (value !== null && typeof value === 'object') {
    out.push(value as Record<string | number, unknown>)
    for (const item of Object.values(value)) containers(item, out)
  }
  return out
}

function applyEdit(file: unknown, { type, pick, key, value }: Edit): unknown {
  const copy = structuredClone(file)
  const all = containers(copy)
  const target = all[pick % all.length] as Record<string | number, unknown>
  const members = Object.keys(target)
  const member = Array.isArray(target)
    ? Number(members[pick % Math.max(1, members.length)] ?? 0)
    : members[pick % Math.max(1, members.length)]
  if (type === 'add') target[Array.isArray(target) ? target.length : key] = value
  else if (member === undefined) target[key] = value
  else if (type === 'delete') Array.isArray(target) ? target.splice(member as number, 1) : delete target[member]
  else target[member] = value
  return copy
}

describe('the fast schema check', () => {
  test('accepts valid recordings', () => {
    for (const file of files) {
      expect(ajv(file)).toBe(true)
      expect(check(file)).toBe(true)
    }
  })

  test('gives the answer Ajv gives for random edits of valid files', () => {
    fc.assert(
      fc.property(fc.constantFrom(...files), fc.array(edit, { minLength: 1, maxLength: 3 }), (file, edits) => {
        const edited = edits.reduce(applyEdit, file)
        // Accepting what Ajv refuses would load a broken file; refusing more would only be slower.
        expect(check(edited)).toBe(ajv(edited))
      }),
      { numRuns: 3000 },
    )
  })

  test('validateRpk still names the violation Ajv finds', () => {
    const edited = structuredClone(files[2]) as { runs: Record<string, { steps: Array<{ kind: string }> }> }
    ;(edited.runs['b 1']?.steps[0] as { kind: string }).kind = 'http.nope'
    expect(validateRpk(edited)).toMatchObject({ path: '$.runs["b 1"].steps[0].kind' })
  })

  test('refuses to compile a keyword it does not implement', () => {
    expect(() => compileSchemaCheck({ type: 'object', minProperties: 1 })).toThrowError(/minProperties/)
    expect(() => compileSchemaCheck({ properties: { a: { format: 'date' } } })).toThrowError(/format/)
  })
})
