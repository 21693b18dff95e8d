/**
 * Issue 10 item 10: the stored outcome is faithful. A circular return value was
 * stored as "[object Object]" and a fetch Response as {}, so the outcome check
 * compared nothing; a value nested past the .rpk limit failed the write.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { buildRpk, compareRuns, parseRpk, type Run, serializeRpk } from '../../src/index.js'
import { runCapture } from '../../src/public/engine.js'
import { type LocalServer, startLocalServer } from './local-server.js'

let server: LocalServer
beforeAll(async () => {
  server = await startLocalServer()
})
afterAll(() => server.close())

async function outcomeOf(fn: () => unknown): Promise<Run> {
  return (await runCapture(fn, { mode: 'record' })).run
}

function returned(run: Run): unknown {
  return run.outcome.type === 'return' ? run.outcome.value : undefined
}

test('a circular value keeps its fields, the cycle as a marker path, and a changed field is a divergence', async () => {
  const make = (answer: string) => {
    const node: Record<string, unknown> = { answer, meta: { tokens: 12 } }
    ;(node.meta as Record<string, unknown>).parent = node
    node.self = node
    return node
  }
  const a = await outcomeOf(() => make('Use -u.'))
  expect(returned(a)).toEqual({ answer: 'Use -u.', meta: { tokens: 12, parent: '[Circular $]' }, self: '[Circular $]' })
  const b = await outcomeOf(() => make('Use --update.'))
  const comparison = compareRuns(a, b)
  expect(comparison.outcomeEqual).toBe(false)
  expect(comparison.first).toMatchObject({ kind: 'outcome', path: '$.value.answer' })
})

test('a fetch Response is stored as its status, url and headers, and a changed status is a divergence', async () => {
  const a = await outcomeOf(() => fetch(`${server.url}/json`))
  expect(returned(a)).toMatchObject({
    $type: 'Response',
    status: 200,
    statusText: 'OK',
    url: `${server.url}/json`,
    headers: { 'content-type': 'application/json' },
    bodyUsed: false,
  })
  const b = await outcomeOf(() => fetch(`${server.url}/missing`))
  expect(compareRuns(a, b).outcomeEqual).toBe(false)
})

test('Map, Set, Error, typed arrays and bigint are stored faithfully', async () => {
  const error = Object.assign(new Error('rate limited'), { status: 429 })
  const run = await outcomeOf(() => ({
    map: new Map<unknown, unknown>([
      ['a', 1],
      [2, { b: true }],
    ]),
    set: new Set(['x', 'y']),
    error,
    bytes: new Uint8Array([1, 2, 255]),
    big: 12345678901234567890n,
    when: new Date(0),
  }))
  expect(returned(run)).toEqual({
    map: {
      $type: 'Map',
      entries: [
        ['a', 1],
        [2, { b: true }],
      ],
    },
    set: { $type: 'Set', values: ['x', 'y'] },
    error: { $type: 'Error', name: 'Error', message: 'rate limited', status: 429 },
    bytes: { $type: 'Uint8Array', base64: 'AQL/' },
    big: '12345678901234567890',
    when: '1970-01-01T00:00:00.000Z',
  })
  const other = await outcomeOf(() => ({ map: new Map([['a', 2]]) }))
  expect(compareRuns(run, other).outcomeEqual).toBe(false)
})

test('a value nested past the .rpk limit is cut with a marker, and the file is written and read back', async () => {
  const deep = (levels: number) => {
    let value: unknown = 'bottom'
    for (let i = 0; i < levels; i++) value = { next: value }
    return value
  }
  const run = await outcomeOf(() => deep(2000))
  let value = returned(run) as { next?: unknown } | string
  let levels = 0
  while (typeof value === 'object' && value !== null) {
    value = (value as { next: unknown }).next as typeof value
    levels++
  }
  expect(value).toBe('[Nested deeper than 500 levels]')
  expect(levels).toBe(500)
  const text = serializeRpk(buildRpk({ runs: { 'deep 1': run }, blobs: {}, source: 'deep.test.ts' }))
  expect(returned(parseRpk(text).runs['deep 1'] as Run)).toEqual(returned(run))
})
