import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { canonicalKey } from '../../src/artifact/canonical-json.js'
import { stableStep } from '../../src/artifact/hash.js'
import type { Step } from '../../src/artifact/types.js'
import { sameStableSteps } from '../../src/diff/same-step.js'
import { jsonLike, reorderKeys } from '../fixtures/json-values.js'

const event = fc.record(
  { data: fc.string({ maxLength: 4 }), json: jsonLike, event: fc.constantFrom('delta', 'done'), atMs: fc.nat(50) },
  { requiredKeys: [] },
)
const timing = fc.record({ startMs: fc.nat(50), durationMs: fc.nat(50) }, { requiredKeys: ['startMs'] })
/** Response steps, streamed or not, and other steps: small enough that random pairs are often equal. */
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('model.response' as const),
    seq: fc.nat(2),
    correlationId: fc.constantFrom('x1', 'x2'),
    provider: fc.constant('openai' as const),
    text: fc.constantFrom('a', 'b'),
    timing,
    response: fc.record(
      {
        status: fc.constantFrom(200, 500),
        headers: fc.constant({}),
        stream: fc.record(
          {
            format: fc.constant('sse' as const),
            events: fc.array(event, { maxLength: 3 }),
            completion: fc.constantFrom('clean' as const, 'interrupted' as const),
          },
          { requiredKeys: ['format', 'events', 'completion'] },
        ),
        body: fc.constant({ text: 'x' }),
      },
      { requiredKeys: ['status', 'headers'] },
    ),
  }),
  fc.record({
    kind: fc.constant('tool.response' as const),
    seq: fc.nat(2),
    correlationId: fc.constant('x1'),
    callId: fc.constant('c'),
    output: jsonLike,
    timing,
  }),
) as fc.Arbitrary<Step>

/** The same step as recorded again: keys in another order, other timing and pacing. */
function recordedAgain(value: Step, seed: number): Step {
  const copy = reorderKeys(value, seed) as Step & { timing?: unknown }
  copy.timing = { startMs: seed }
  if (copy.kind === 'model.response' && copy.response.stream) {
    for (const event of copy.response.stream.events) event.atMs = seed + 1
  }
  return copy
}

describe('sameStableSteps', () => {
  test('answers as comparing the canonical texts of stableStep copies', () => {
    fc.assert(
      fc.property(step, step, fc.nat(100), (a, b, seed) => {
        const key = (s: Step) => canonicalKey(stableStep(s))
        expect(sameStableSteps(a, recordedAgain(a, seed))).toBe(true)
        const same = sameStableSteps(a, b)
        if (same !== undefined) expect(same).toBe(key(a) === key(b))
        const again = recordedAgain(b, seed)
        const sameAgain = sameStableSteps(a, again)
        if (sameAgain !== undefined) expect(sameAgain).toBe(key(a) === key(again))
      }),
      { numRuns: 2000 },
    )
  })

  test('leaves steps stableStep would fail on, or only one of them streamed, to the canonical texts', () => {
    const streamed = (events: unknown): Step =>
      ({
        kind: 'http.response',
        seq: 0,
        correlationId: 'x',
        response: { status: 200, headers: {}, stream: { format: 'sse', events, completion: 'clean' } },
      }) as Step
    expect(sameStableSteps(streamed([null]), streamed([null]))).toBeUndefined()
    expect(sameStableSteps(streamed('x'), streamed('x'))).toBeUndefined()
    const buffered = { ...streamed([]), response: { status: 200, headers: {} } } as Step
    expect(sameStableSteps(streamed([]), buffered)).toBeUndefined()
  })
})
