/**
 * The request hooks of plugins in a real capture (issue 11): beforeMatch (a custom
 * matcher), onMatch / onMiss, beforeReplay, and a hook that throws.
 */
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import type { HttpRequestData } from '../../src/artifact/types.js'
import { activatePlugins, unloadPlugins } from '../../src/plugins/index.js'
import { runCapture } from '../../src/public/engine.js'
import { type LocalServer, startLocalServer } from '../engine/local-server.js'

let server: LocalServer
beforeAll(async () => {
  server = await startLocalServer()
})
afterAll(() => server.close())
afterEach(async () => {
  await unloadPlugins()
  server.hits.length = 0
})

const json = async (path: string) => (await fetch(`${server.url}${path}`)).json()

/** A custom matcher: the `nonce` query parameter changes every run, so match without it. */
const withoutNonce = (request: HttpRequestData): HttpRequestData => {
  const url = new URL(request.url)
  url.searchParams.delete('nonce')
  return { ...request, url: url.href }
}

test('beforeMatch normalises a field for matching; onMatch and onMiss are told; beforeReplay changes the answer', async () => {
  const recorded = await runCapture(() => json('/json?nonce=1'), { mode: 'record' })
  expect(recorded.threw, String(recorded.error)).toBe(false)

  const events: string[] = []
  activatePlugins([
    {
      name: 'ignore-nonce',
      hooks: {
        beforeMatch: ({ request }) => withoutNonce(request),
        onMatch: ({ request }) => {
          events.push(`match ${new URL(request.url).search}`)
        },
        onMiss: ({ verdict }) => {
          events.push(`miss ${verdict}`)
        },
      },
    },
    {
      name: 'stamp',
      hooks: {
        beforeReplay: ({ response }) => ({ ...response, headers: { ...response.headers, 'x-replayed': 'yes' } }),
      },
    },
  ])
  const replay = await runCapture(
    async () => {
      const response = await fetch(`${server.url}/json?nonce=2`)
      return { header: response.headers.get('x-replayed'), body: await response.json() }
    },
    { mode: 'strict', recording: recorded.run },
  )
  expect(replay.problems).toEqual([])
  expect(server.hits).toHaveLength(1) // the recording's only
  expect(replay.value).toMatchObject({ header: 'yes', body: { path: '/json?nonce=1' } })
  // The request is recorded as sent; the plugin changed only what it was matched by.
  const sent = replay.run.steps[0]
  expect(sent?.kind === 'http.request' && sent.request.url).toContain('nonce=2')

  const miss = await runCapture(() => json('/other'), { mode: 'strict', recording: recorded.run })
  expect(miss.threw).toBe(true)
  expect(events).toEqual(['match ?nonce=2', 'miss refuse'])
})

test('a hook that throws fails the request with the plugin name, and the capture reports it', async () => {
  activatePlugins([
    {
      name: 'broken',
      hooks: {
        beforeMatch: () => {
          throw new Error('no such field')
        },
      },
    },
  ])
  const result = await runCapture(() => json('/json'), { mode: 'record' })
  expect(result.threw).toBe(true)
  expect(server.hits).toHaveLength(0)
  expect(result.problems).toEqual([
    expect.objectContaining({
      type: 'plugin-failed',
      message: expect.stringMatching(/Plugin "broken" failed in beforeMatch: no such field/),
    }),
  ])
})
