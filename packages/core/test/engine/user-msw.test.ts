import { HttpResponse, http, passthrough } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { runCapture } from '../../src/public/engine.js'
import { type LocalServer, startLocalServer } from './local-server.js'

// A user's own MSW server, listening before any capture, as in a typical setup file.
const userServer = setupServer(
  http.get('http://user.test/profile', () => HttpResponse.json({ name: 'mocked by the user' })),
)
let server: LocalServer

beforeAll(async () => {
  userServer.listen({ onUnhandledFrame: 'bypass' })
  server = await startLocalServer()
})
afterAll(async () => {
  userServer.close()
  await server.close()
})

const code = async () => {
  const profile = await (await fetch('http://user.test/profile')).json()
  const data = await (await fetch(`${server.url}/json`)).json()
  return { profile, data }
}

test("the user's handlers keep answering inside and outside captures", async () => {
  const recorded = await runCapture(code, { mode: 'record' })
  expect(recorded.value?.profile).toEqual({ name: 'mocked by the user' })
  // Only the real request is ours to record: the user's mock answered the other.
  expect(recorded.run.steps.map((s) => s.kind)).toEqual(['http.request', 'http.response'])
  expect(server.hits).toHaveLength(1)

  const replay = await runCapture(code, { mode: 'strict', recording: recorded.run })
  expect(replay.problems).toEqual([])
  expect(replay.value?.profile).toEqual({ name: 'mocked by the user' })
  expect(server.hits).toHaveLength(1)

  expect(await (await fetch('http://user.test/profile')).json()).toEqual({ name: 'mocked by the user' })
})

test("a request the user's handler lets through still reaches the server without ReplayKit's capture tag", async () => {
  const tags: (string | undefined)[] = []
  const tagged = await startLocalServer({
    'GET /pass': (req, res) => {
      tags.push(req.headers['x-replaykit-capture'] as string | undefined)
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"passed":true}')
    },
  })
  userServer.use(http.get(`${tagged.url}/pass`, () => passthrough()))
  try {
    const recorded = await runCapture(async () => (await fetch(`${tagged.url}/pass`)).json(), { mode: 'record' })
    expect(recorded.value).toEqual({ passed: true })
    expect(tags).toEqual([undefined])
  } finally {
    userServer.resetHandlers()
    await tagged.close()
  }
})
