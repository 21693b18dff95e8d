/**
 * Matching options, stream pacing, malformed streams and draw drift.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest'
import { runCapture } from '../../src/public/engine.js'
import { type LocalServer, startLocalServer } from './local-server.js'

let server: LocalServer
beforeAll(async () => {
  server = await startLocalServer({
    'GET /malformed': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.end('data: {"ok":1}\n\ndata: {not json\n\nevent: error\ndata: {"type":"error","message":"overloaded"}\n\n')
    },
    'GET /paced': async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      for (let i = 0; i < 3; i++) {
        res.write(`data: ${i}\n\n`)
        await new Promise((resolve) => setTimeout(resolve, 60))
      }
      res.end()
    },
  })
})
afterAll(() => server.close())
beforeEach(() => {
  server.hits.length = 0
})

const post = async (body: unknown) =>
  (await fetch(`${server.url}/echo`, { method: 'POST', body: JSON.stringify(body) })).json()

test('ignore paths leave volatile body fields out of matching', async () => {
  const recording = (await runCapture(() => post({ q: 'oslo', requestId: 'a-1' }), { mode: 'record' })).run
  const strict = (requestId: string, ignorePaths?: string[]) =>
    runCapture(() => post({ q: 'oslo', requestId }), { mode: 'strict', recording, match: { ignorePaths } })
  expect((await strict('b-2')).problems.map((p) => p.type)).toEqual(['unmatched-request'])
  expect((await strict('b-2', ['$.requestId'])).problems).toEqual([])
  expect(server.hits).toHaveLength(1)
})

test('a custom key function decides what "the same request" means', async () => {
  const recording = (await runCapture(() => post({ q: 'oslo', n: 1 }), { mode: 'record' })).run
  const replay = await runCapture(() => post({ q: 'oslo', n: 2 }), {
    mode: 'strict',
    recording,
    match: { key: (request) => [request.method, (request.body as { q: string }).q] },
  })
  expect(replay.problems).toEqual([])
  expect(replay.value).toEqual({ echo: { q: 'oslo', n: 1 } })
})

test('a malformed stream event and an error event are kept as they came and replayed so', async () => {
  const code = async () => (await fetch(`${server.url}/malformed`)).text()
  const recorded = await runCapture(code, { mode: 'record' })
  const step = recorded.run.steps[1]
  expect(step?.kind === 'http.response' && step.response.stream).toMatchObject({
    completion: 'error',
    events: [{ json: { ok: 1 } }, { data: '{not json' }, { event: 'error', json: { type: 'error' } }],
  })
  const replay = await runCapture(code, { mode: 'strict', recording: recorded.run })
  expect(replay.value).toContain('data: {not json\n\n')
  expect(replay.value).toContain('event: error\n')
})

test('streams replay instantly by default and with the recorded gaps on request', async () => {
  const code = async () => (await fetch(`${server.url}/paced`)).text()
  const recording = (await runCapture(code, { mode: 'record' })).run
  const instant = await runCapture(code, { mode: 'strict', recording })
  const paced = await runCapture(code, { mode: 'strict', recording, pacing: 'recorded' })
  expect(paced.value).toBe(instant.value)
  // Pacing is observable in the run's network time (the gaps were 60 ms each when recorded).
  expect(paced.run.timing?.totalMs ?? 0).toBeGreaterThanOrEqual(100)
  expect(server.hits).toHaveLength(1)
})

test('more time/random draws than recorded are reported', async () => {
  const recording = (await runCapture(() => Math.random(), { mode: 'record' })).run
  const replay = await runCapture(() => [Math.random(), Math.random()], { mode: 'strict', recording })
  expect(replay.problems).toMatchObject([{ type: 'draws', expected: 1, actual: 2 }])
  expect(replay.value?.[0]).toBe(recording.outcome.type === 'return' ? recording.outcome.value : undefined)
})

test('an error from another realm (a Jest sandbox, a vm context) is stored with its name and message', async () => {
  const { runInNewContext } = await import('node:vm')
  const result = await runCapture(() => {
    throw runInNewContext('new TypeError("from another realm")')
  })
  expect(result.run.outcome).toEqual({ type: 'throw', error: { name: 'TypeError', message: 'from another realm' } })
})
