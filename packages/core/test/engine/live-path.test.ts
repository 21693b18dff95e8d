/**
 * The live path: a request a capture lets through reaches the server as the
 * client sent it, the client gets the server's bytes, and the recording keeps
 * a readable copy (live-response.ts).
 */
import { gzipSync } from 'node:zlib'
import axios from 'axios'
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest'
import { STALL_MS } from '../../src/engine/live-response.js'
import type { Run } from '../../src/index.js'
import { runCapture } from '../../src/public/engine.js'
import { type LocalServer, startLocalServer } from './local-server.js'

let server: LocalServer
beforeAll(async () => {
  server = await startLocalServer({
    'GET /gzip': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
      res.end(gzipSync(JSON.stringify({ zipped: true })))
    },
    'GET /moved': (_req, res) => {
      res.writeHead(302, { location: '/json?from=moved' })
      res.end()
    },
    'GET /large': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end('x'.repeat(4 * 1024 * 1024))
    },
  })
})
afterAll(() => server.close())
beforeEach(() => {
  server.hits.length = 0
})

const responses = (run: Run) => run.steps.filter((step) => step.kind === 'http.response')

test('a compressed answer reaches the client as sent and is recorded decoded; replay serves it plain', async () => {
  const code = async () => (await fetch(`${server.url}/gzip`)).json()
  const recorded = await runCapture(code, { mode: 'record' })
  expect(recorded.value).toEqual({ zipped: true })
  const [response] = responses(recorded.run)
  expect(response?.kind === 'http.response' && response.response.body).toEqual({ json: { zipped: true } })
  expect(JSON.stringify(response)).not.toContain('gzip')
  // axios decodes too: its own decompression must not see a stale content-encoding on replay.
  const replayed = await runCapture(async () => (await axios.get(`${server.url}/gzip`)).data, {
    mode: 'strict',
    recording: recorded.run,
  })
  expect(replayed.value).toEqual({ zipped: true })
  expect(server.hits).toHaveLength(1)
})

test('a redirect is two exchanges, recorded and replayed hop by hop', async () => {
  const code = async () => (await fetch(`${server.url}/moved`)).json()
  const recorded = await runCapture(code, { mode: 'record' })
  expect(recorded.value).toMatchObject({ path: '/json?from=moved' })
  expect(responses(recorded.run).map((step) => step.kind === 'http.response' && step.response.status)).toEqual([
    302, 200,
  ])
  server.hits.length = 0
  const replayed = await runCapture(code, { mode: 'strict', recording: recorded.run })
  expect(replayed.problems).toEqual([])
  expect(replayed.value).toEqual(recorded.value)
  expect(server.hits).toHaveLength(0)
})

test('a connection that fails is recorded as an error event and replays as a network error', async () => {
  const closed = await startLocalServer()
  const url = `${closed.url}/json`
  await closed.close()
  const code = () =>
    fetch(url).then(
      () => 'answered',
      (error: Error) => `failed: ${error.message}`,
    )
  const recorded = await runCapture(code, { mode: 'record' })
  expect(recorded.value).toBe('failed: fetch failed')
  expect(recorded.run.steps.map((step) => step.kind)).toEqual(['http.request', 'error.event'])
  const replayed = await runCapture(code, { mode: 'strict', recording: recorded.run })
  expect(replayed.value).toBe('failed: fetch failed')
  expect(replayed.problems).toEqual([])
})

test('a large body the code never reads is recorded up to where it stopped, without holding the capture', async () => {
  // Before STALL_MS, this capture waited forever for a body the client's connection no longer fed.
  const recorded = await runCapture(async () => (await fetch(`${server.url}/large`)).status, { mode: 'record' })
  expect(recorded.value).toBe(200)
  const [response] = responses(recorded.run)
  const stream = response?.kind === 'http.response' ? response.response.stream : undefined
  expect(stream?.completion).toBe('interrupted')
  expect(stream?.error).toContain(`for ${STALL_MS} ms`)
  expect(stream?.error).toMatch(/did not read the rest/)
})
