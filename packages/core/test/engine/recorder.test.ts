/**
 * The recorder's verdicts, mode by mode, from the strategy table alone: no
 * transport, no network, no process-wide state.
 */
import { expect, test } from 'vitest'
import type { HttpRequestData, Run } from '../../src/artifact/types.js'
import { MODE_STRATEGIES } from '../../src/engine/recorder/modes.js'
import { decide, decideLate } from '../../src/engine/recorder/recorder.js'
import { RecordingIndex } from '../../src/engine/recording-index.js'
import { MODES, type Mode } from '../../src/engine/types.js'

const recorded: Run = {
  name: 'r',
  index: 1,
  outcome: { type: 'return' },
  steps: [
    {
      kind: 'http.request',
      correlationId: 'c1',
      t: 0,
      request: { method: 'GET', url: 'http://a.test/x', headers: {} },
    },
    {
      kind: 'http.response',
      correlationId: 'c1',
      t: 1,
      response: { status: 200, headers: {}, body: { encoding: 'utf8', data: 'x' } },
    },
  ],
} as unknown as Run

const keyOf = (request: HttpRequestData): string => `${request.method} ${request.url}`
const get = (url: string): HttpRequestData => ({ method: 'GET', url, headers: {} })

function capture(mode: Mode) {
  return { mode, index: new RecordingIndex(recorded, keyOf), rerecord: 'replaykit test --update-replays' }
}

test('every mode has a strategy, and only the table names modes', () => {
  expect(Object.keys(MODE_STRATEGIES).sort()).toEqual([...MODES].sort())
})

test.each([
  ['record', 'live', 'live'],
  ['strict', 'replay', 'refuse'],
  ['hybrid', 'replay', 'live'],
  ['live-compare', 'live', 'live'],
] as const)('%s: a recorded request gets %s, a new one %s', (mode, hit, miss) => {
  const state = capture(mode)
  expect(decide(state, get('http://a.test/x'), 'GET http://a.test/x', 0).type).toBe(hit)
  expect(decide(state, get('http://a.test/y'), 'GET http://a.test/y', 1).type).toBe(miss)
})

test('strict: a miss names the request and the re-record command, and is lined up with the nearest recorded one', () => {
  const verdict = decide(capture('strict'), get('http://a.test/x?v=2'), 'GET http://a.test/x?v=2', 0)
  expect(verdict.type).toBe('refuse')
  if (verdict.type !== 'refuse') return
  expect(verdict.message).toContain('GET http://a.test/x?v=2')
  expect(verdict.message).toContain('replaykit test --update-replays')
  expect(verdict.nearest?.request.url).toBe('http://a.test/x')
  expect(verdict.problem).toMatchObject({ type: 'unmatched-request', seq: 0, url: 'http://a.test/x?v=2' })
})

test('hybrid: a request sent live is reported; record sends it live unreported', () => {
  const hybrid = decide(capture('hybrid'), get('http://a.test/y'), 'GET http://a.test/y', 3)
  expect(hybrid).toMatchObject({ type: 'live', problem: { type: 'live-request', seq: 3 } })
  expect(decide(capture('record'), get('http://a.test/y'), 'GET http://a.test/y', 3)).toEqual({ type: 'live' })
})

test('a recorded occurrence is taken once: a repeat in strict is refused', () => {
  const state = capture('strict')
  expect(decide(state, get('http://a.test/x'), 'GET http://a.test/x', 0).type).toBe('replay')
  expect(decide(state, get('http://a.test/x'), 'GET http://a.test/x', 1).type).toBe('refuse')
})

test('late requests: refused where the run can take no new live step', () => {
  expect(MODES.map((mode) => [mode, decideLate(mode)])).toEqual([
    ['record', 'live'],
    ['strict', 'refuse'],
    ['hybrid', 'refuse'],
    ['live-compare', 'live'],
  ])
})
