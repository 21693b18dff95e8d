import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { runCapture } from '../../src/public/engine.js'
import { type LocalServer, startLocalServer } from './local-server.js'

// A user's MSW server that starts listening only after ReplayKit's interception is installed
// (listen() in beforeEach, or first called in a later test): it subscribes after ours.
const userServer = setupServer(
  http.get('http://user.test/profile', () => HttpResponse.json({ name: 'mocked by the user' })),
)
let server: LocalServer

beforeAll(async () => {
  server = await startLocalServer()
})
afterAll(async () => {
  await server.close()
})

const code = async () => {
  const profile = await (await fetch('http://user.test/profile')).json()
  const data = await (await fetch(`${server.url}/json`)).json()
  return { profile, data }
}

test("a user's server that listens after the first capture still answers first, and replays", async () => {
  // The first capture installs ReplayKit's interception.
  await runCapture(async () => (await fetch(`${server.url}/json`)).json(), { mode: 'record' })

  userServer.listen({ onUnhandledFrame: 'bypass' })
  const recorded = await runCapture(code, { mode: 'record' })
  userServer.close()
  expect(recorded.value?.profile).toEqual({ name: 'mocked by the user' })
  expect(recorded.run.steps.map((s) => s.kind)).toEqual(['http.request', 'http.response'])
  expect(JSON.stringify(recorded.run.steps)).not.toContain('RPK_NO_RESPONSE')

  userServer.listen({ onUnhandledFrame: 'bypass' })
  const replay = await runCapture(code, { mode: 'strict', recording: recorded.run })
  userServer.close()
  expect(replay.problems).toEqual([])
  expect(replay.value).toEqual(recorded.value)
})

test("a user's server that starts listening inside the capture: its mock is not recorded as a failure", async () => {
  const recorded = await runCapture(
    async () => {
      userServer.listen({ onUnhandledFrame: 'bypass' })
      try {
        return await code()
      } finally {
        userServer.close()
      }
    },
    { mode: 'record' },
  )
  expect(recorded.value?.profile).toEqual({ name: 'mocked by the user' })
  expect(recorded.run.steps.map((s) => s.kind)).toEqual(['http.request', 'http.response'])
})
