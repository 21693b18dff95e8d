/**
 * What a new recording should not hold silently (failed calls), and the
 * correlation ids of a run an update stores.
 */
import { describe, expect, test } from 'vitest'
import type { Run, Step } from '../../src/index.js'
import { failedCallWarnings } from '../../src/replay-matcher/recording-warnings.js'
import { renumberCorrelationIds } from '../../src/store/renumber.js'
import { sampleRun } from '../fixtures/sample-runs.js'

const request = (correlationId: string, url: string): Step => ({
  kind: 'http.request',
  seq: 0,
  correlationId,
  request: { method: 'GET', url, headers: {} },
})

describe('failedCallWarnings', () => {
  test('a healthy run gives none', () => {
    expect(failedCallWarnings(sampleRun(), 'agent answers 1')).toEqual([])
  })

  test('names each call with no response or a 5xx answer, and the fix', () => {
    const run: Run = {
      ...sampleRun(),
      steps: [
        request('x1', 'http://api.test/a'),
        { kind: 'error.event', seq: 1, correlationId: 'x1', message: 'ECONNREFUSED' },
        request('x2', 'http://api.test/b'),
        {
          kind: 'http.response',
          seq: 3,
          correlationId: 'x2',
          response: { status: 503, statusText: 'Service Unavailable', headers: {} },
        },
        request('x3', 'http://api.test/c'),
        { kind: 'http.response', seq: 5, correlationId: 'x3', response: { status: 404, headers: {} } },
      ],
    }
    const lines = failedCallWarnings(run, 'agent answers 1')
    expect(lines[0]).toBe(
      '[ReplayKit] The recording of "agent answers 1" holds 2 failed call(s); replays will repeat the failure as the baseline:',
    )
    expect(lines.slice(1, 3)).toEqual([
      '  - GET http://api.test/a: no response (ECONNREFUSED)',
      '  - GET http://api.test/b: HTTP 503 Service Unavailable',
    ])
    expect(lines[3]).toMatch(/Fix: check the provider is up/)
  })

  test('an outcome in the SDKs’ words for a network failure counts when no step recorded it', () => {
    const returned: Run = { ...sampleRun(), steps: [], outcome: { type: 'return', value: 'Error: Connection error.' } }
    expect(failedCallWarnings(returned, 'k 1')[1]).toBe('  - the code returned "Error: Connection error."')
    const thrown: Run = {
      ...sampleRun(),
      steps: [],
      outcome: { type: 'throw', error: { name: 'TypeError', message: 'fetch failed' } },
    }
    expect(failedCallWarnings(thrown, 'k 1')[1]).toBe('  - the code threw TypeError: fetch failed')
    const fine: Run = { ...sampleRun(), outcome: { type: 'return', value: 'The connection is fine.' } }
    expect(failedCallWarnings(fine, 'k 1')).toEqual([])
  })
})

describe('renumberCorrelationIds', () => {
  test('numbers ids x1, x2, … in order of first appearance, as a fresh recording does', () => {
    const run: Run = {
      ...sampleRun(),
      steps: [
        request('x3', 'http://a'),
        request('x3', 'http://a'),
        request('x1', 'http://b'),
        request('x9', 'http://c'),
      ],
    }
    expect(renumberCorrelationIds(run).steps.map((s) => s.correlationId)).toEqual(['x1', 'x1', 'x2', 'x3'])
    const fresh = sampleRun()
    expect(renumberCorrelationIds(fresh)).toBe(fresh)
  })
})
