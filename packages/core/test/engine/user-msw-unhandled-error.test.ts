import { setupServer } from 'msw/node'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { runCapture } from '../../src/public/engine.js'
import { problemLines } from '../../src/replay-matcher/messages.js'
import { type LocalServer, startLocalServer } from './local-server.js'

let server: LocalServer

beforeAll(async () => {
  server = await startLocalServer()
})
afterAll(async () => {
  await server.close()
})

test("a user's server with onUnhandledFrame 'error' that fails a capture's request: the report names that setting", async () => {
  const real = async () => (await fetch(`${server.url}/json`)).json()
  const recorded = await runCapture(real, { mode: 'record' })
  const strictServer = setupServer()
  strictServer.listen({ onUnhandledFrame: 'error' })
  const replay = await runCapture(real, { mode: 'strict', recording: recorded.run })
  strictServer.close()
  expect(replay.threw).toBe(true)
  expect(replay.problems.map((p) => p.type)).toContain('failed-by-other-msw')
  const report = problemLines(replay.problems, false).join('\n')
  expect(report).toContain("onUnhandledFrame: 'error'")
  expect(report).not.toContain('did not make')
})
