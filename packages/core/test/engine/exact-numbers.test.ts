/**
 * Numbers JSON cannot hold exactly survive record, write, load and replay
 * byte for byte: a body holding one is stored as the server's text.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type Run, readRpkFile, writeRpkFile } from '../../src/index.js'
import { runCapture } from '../../src/public/engine.js'
import { type LocalServer, startLocalServer } from './local-server.js'

const BODY = '{"id": 12345678901234567890123, "huge": 1e400, "tiny": 1e-400, "ok": [1, 0.1]}'
const EVENTS = 'data: {"id":12345678901234567890123}\n\ndata: {"n":1}\n\n'

let server: LocalServer
let dir: string
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-exact-'))
  server = await startLocalServer({
    'GET /big': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(BODY)
    },
    'POST /big': (_req, res, body) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(body)
    },
    'GET /big-sse': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.end(EVENTS)
    },
  })
})
afterAll(async () => {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

test('a response with 12345678901234567890123 and 1e400 records, writes, loads and replays byte-exact through fetch', async () => {
  const code = async () => {
    const plain = await (await fetch(`${server.url}/big`)).text()
    const echoed = await (
      await fetch(`${server.url}/big`, { method: 'POST', body: BODY, headers: { 'content-type': 'application/json' } })
    ).text()
    const events = await (await fetch(`${server.url}/big-sse`)).text()
    return [plain, echoed, events]
  }
  const recorded = await runCapture(code, { mode: 'record' })
  expect(recorded.threw, String(recorded.error)).toBe(false)
  expect(recorded.value).toEqual([BODY, BODY, EVENTS])

  const file = join(dir, 'exact.rpk')
  writeRpkFile(file, { runs: { 'exact 1': recorded.run } })
  const run = readRpkFile(file)?.runs['exact 1'] as Run
  const response = run.steps.find((step) => step.kind === 'http.response')
  expect(response?.kind === 'http.response' && response.response.body).toEqual({ text: BODY })

  server.hits.length = 0
  const replayed = await runCapture(code, { mode: 'strict', recording: run })
  expect(replayed.problems).toEqual([])
  expect(server.hits).toHaveLength(0)
  expect(replayed.value).toEqual([BODY, BODY, EVENTS])
})
