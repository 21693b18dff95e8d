/**
 * The fetch-dispatcher transport (transport/fetch-dispatcher.ts): strict
 * replays of the global fetch answered at undici's dispatcher, under the
 * transport contract, and what it must do that MSW did for it: stream with
 * backpressure, abort, fail a cut-off stream, and step aside for a user's
 * MockAgent-style dispatcher and for everything strict mode does not own.
 */
import diagnostics from 'node:diagnostics_channel'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import type { Run } from '../../../src/artifact/types.js'
import { drop } from '../../../src/engine/runtime/runtime.js'
import { runCapture } from '../../../src/public/engine.js'
import { type LocalServer, startLocalServer } from '../local-server.js'
import { transportContract } from './transport-contract.js'

const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1')
const BIG = 'x'.repeat(4 * 1024 * 1024)

describe('contract', () => {
  transportContract('fetch-dispatcher (global fetch)', {
    send: async (url) => (await fetch(url)).text(),
  })
})

describe('answered at the dispatcher', () => {
  let server: LocalServer
  beforeAll(async () => {
    server = await startLocalServer({
      'GET /big': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' })
        res.end(BIG)
      },
      'POST /raw': (req, res, body) => {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ type: req.headers['content-type'], body }))
      },
      'GET /moved': (_req, res) => {
        res.writeHead(302, { location: '/json?moved=1' })
        res.end()
      },
    })
  })
  afterAll(async () => {
    await server.close()
  })

  async function recorded(path: string, read: (response: Response) => Promise<unknown>): Promise<Run> {
    const result = await runCapture(async () => read(await fetch(`${server.url}${path}`)), { mode: 'record' })
    return result.run
  }

  /** Requests undici creates for a connection (its client's `undici:request:create`): none for ours. */
  async function countConnectionRequests(fn: () => Promise<void>): Promise<number> {
    let created = 0
    const count = (): void => {
      created++
    }
    diagnostics.subscribe('undici:request:create', count)
    try {
      await fn()
    } finally {
      diagnostics.unsubscribe('undici:request:create', count)
    }
    return created
  }

  test('a strict replay of the global fetch never reaches a connection of undici (no socket, no HTTP bytes)', async () => {
    const run = await recorded('/json?fast=1', (response) => response.json())
    const created = await countConnectionRequests(async () => {
      const result = await runCapture(async () => (await fetch(`${server.url}/json?fast=1`)).json(), {
        mode: 'strict',
        recording: run,
      })
      expect(result.problems).toEqual([])
      expect(result.value).toMatchObject({ path: '/json?fast=1' })
    })
    expect(created).toBe(0)
  })

  test('a POST body reaches the matcher as sent', async () => {
    const post = (n: number) =>
      fetch(`${server.url}/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ n }),
      }).then((response) => response.json())
    const { run } = await runCapture(() => post(1), { mode: 'record' })
    const hit = await runCapture(() => post(1), { mode: 'strict', recording: run })
    expect(hit.value).toEqual({ echo: { n: 1 } })
    const miss = await runCapture(() => post(2), { mode: 'strict', recording: run })
    expect(miss.threw).toBe(true)
    expect(miss.problems.map((problem) => problem.type)).toEqual(['unmatched-request'])
  })

  test('a streamed upload (a ReadableStream body) is read whole and matched as sent', async () => {
    const post = (n: number) =>
      fetch(`${server.url}/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"n":'))
            controller.enqueue(new TextEncoder().encode(`${n}}`))
            controller.close()
          },
        }),
        duplex: 'half',
      } as RequestInit).then((response) => response.json())
    const { run } = await runCapture(() => post(7), { mode: 'record' })
    const hit = await runCapture(() => post(7), { mode: 'strict', recording: run })
    expect(hit.problems).toEqual([])
    expect(hit.value).toEqual({ echo: { n: 7 } })
  })

  /** Bodies fetch keeps a source of (undici's extractBody): each must reach the matcher as the bytes it sends. */
  const bodies: Record<string, (n: number) => BodyInit> = {
    'a string': (n) => `{"n":${n}}`,
    'a Uint8Array': (n) => new TextEncoder().encode(`{"n":${n}}`),
    'an ArrayBuffer': (n) => new TextEncoder().encode(`{"n":${n}}`).buffer as ArrayBuffer,
    'a Blob': (n) => new Blob([`{"n":${n}}`], { type: 'application/json' }),
    URLSearchParams: (n) => new URLSearchParams({ n: String(n) }),
  }

  test.each(Object.entries(bodies))('%s body reaches the matcher as sent', async (_name, body) => {
    const post = (n: number) =>
      fetch(`${server.url}/raw`, { method: 'POST', body: body(n) }).then((response) => response.json())
    const { run, value } = await runCapture(() => post(1), { mode: 'record' })
    const hit = await runCapture(() => post(1), { mode: 'strict', recording: run })
    expect(hit.problems).toEqual([])
    expect(hit.value).toEqual(value)
    const miss = await runCapture(() => post(2), { mode: 'strict', recording: run })
    expect(miss.problems.map((problem) => problem.type)).toEqual(['unmatched-request'])
  })

  test('a FormData body reaches the matcher whole, its boundary the one its content-type names', async () => {
    const form = (n: number): FormData => {
      const data = new FormData()
      data.append('n', String(n))
      data.append('file', new Blob(['line 1\nline 2'], { type: 'text/plain' }), 'notes.txt')
      return data
    }
    const post = (n: number) =>
      fetch(`${server.url}/raw`, { method: 'POST', body: form(n) }).then((response) => response.json())
    const { run } = await runCapture(() => post(1), { mode: 'record' })
    const miss = await runCapture(() => post(2), { mode: 'strict', recording: run })
    const sent = miss.run.steps.find((step) => step.kind === 'http.request')
    const request = sent && 'request' in sent ? sent.request : undefined
    const type = String(request?.headers['content-type'])
    const boundary = /boundary=(.+)$/.exec(type)?.[1]
    const text = String(request?.body && 'text' in request.body ? request.body.text : '')
    expect(boundary).toBeDefined()
    expect(text.startsWith(`--${boundary}\r\n`)).toBe(true)
    expect(text.endsWith(`--${boundary}--\r\n`)).toBe(true)
    expect(text).toContain('name="n"\r\n\r\n2\r\n')
    expect(text).toContain('filename="notes.txt"\r\nContent-Type: text/plain\r\n\r\nline 1\nline 2\r\n')
  })

  test("fetch hands a strict replay the body it was given (the dispatcher says isMockActive), not a copy of the body's stream", async () => {
    const run = await recorded('/json?source=1', (response) => response.json())
    const dispatcher = () => (globalThis as unknown as Record<symbol, { isMockActive?: boolean }>)[GLOBAL_DISPATCHER]
    const inside = await runCapture(async () => dispatcher()?.isMockActive, { mode: 'strict', recording: run })
    expect(inside.value).toBe(true)
    const recording = await runCapture(async () => dispatcher()?.isMockActive, { mode: 'record' })
    expect(recording.value).toBeFalsy()
    expect(dispatcher()?.isMockActive).toBeFalsy()
  })

  test('a replayed redirect is followed by fetch, each hop answered from the recording', async () => {
    const run = await recorded('/moved', (response) => response.json())
    server.hits.length = 0
    const result = await runCapture(async () => (await fetch(`${server.url}/moved`)).json(), {
      mode: 'strict',
      recording: run,
    })
    expect(server.hits).toEqual([])
    expect(result.problems).toEqual([])
    expect(result.value).toMatchObject({ path: '/json?moved=1' })
    expect(result.run.steps.filter((step) => step.kind === 'http.request')).toHaveLength(2)
  })

  test("a replayed fetch is answered while the test's timers are faked", async () => {
    const run = await recorded('/json?faked=1', (response) => response.json())
    vi.useFakeTimers()
    try {
      const result = await runCapture(async () => (await fetch(`${server.url}/json?faked=1`)).json(), {
        mode: 'strict',
        recording: run,
      })
      expect(result.problems).toEqual([])
      expect(result.value).toMatchObject({ path: '/json?faked=1' })
    } finally {
      vi.useRealTimers()
    }
  })

  test('a large replayed body arrives whole, read as the client pulls it (backpressure)', async () => {
    const run = await recorded('/big', (response) => response.text())
    const result = await runCapture(async () => (await fetch(`${server.url}/big`)).text(), {
      mode: 'strict',
      recording: run,
    })
    expect(result.value).toBe(BIG)
  })

  test('a replayed stream arrives event by event, and a cut-off one fails the read', async () => {
    const sse = await recorded('/sse', (response) => response.text())
    const whole = await runCapture(async () => (await fetch(`${server.url}/sse`)).text(), {
      mode: 'strict',
      recording: sse,
    })
    expect(String(whole.value)).toContain('data: [DONE]')
    const cut = await recorded('/cut', (response) => response.text().catch(() => 'cut'))
    const replayed = await runCapture(
      async () => {
        const response = await fetch(`${server.url}/cut`)
        return response.text().then(
          () => 'whole',
          () => 'failed',
        )
      },
      { mode: 'strict', recording: cut },
    )
    expect(replayed.value).toBe('failed')
  })

  test('aborting a replayed fetch while its body is read rejects the read', async () => {
    const run = await recorded('/big', (response) => response.text())
    const result = await runCapture(
      async () => {
        const controller = new AbortController()
        const response = await fetch(`${server.url}/big`, { signal: controller.signal })
        const reader = (response.body as ReadableStream<Uint8Array>).getReader()
        await reader.read()
        controller.abort()
        return reader.read().then(
          () => 'read on',
          (error: Error) => error.name,
        )
      },
      { mode: 'strict', recording: run },
    )
    expect(result.value).toBe('AbortError')
  })

  test('after the npm undici package set its own Agent as the global dispatcher, replays are still answered above it', async () => {
    // Importing npm undici puts a wrapper of its Agent (Dispatcher1Wrapper) in the slot Node's fetch reads.
    const { Agent, setGlobalDispatcher } = await import('undici')
    const globals = globalThis as unknown as Record<symbol, unknown>
    const saved = { legacy: globals[GLOBAL_DISPATCHER], own: globals[Symbol.for('undici.globalDispatcher.2')] }
    const run = await recorded('/json?npm=1', (response) => response.json())
    // Installed afresh by the next capture, over the dispatcher npm undici sets.
    drop('interception')
    setGlobalDispatcher(new Agent())
    try {
      const created = await countConnectionRequests(async () => {
        const result = await runCapture(async () => (await fetch(`${server.url}/json?npm=1`)).json(), {
          mode: 'strict',
          recording: run,
        })
        expect(result.problems).toEqual([])
      })
      expect(created).toBe(0)
    } finally {
      drop('interception')
      globals[GLOBAL_DISPATCHER] = saved.legacy
      globals[Symbol.for('undici.globalDispatcher.2')] = saved.own
    }
  })

  /** A dispatcher that is not undici's Agent: a MockAgent (isMockActive), or any other (a wrapper, a proxy). */
  const notAnAgent = {
    'a MockAgent-style dispatcher (isMockActive)': (dispatch: object) => ({ isMockActive: true, ...dispatch }),
    'a dispatcher of another kind (npm undici wrapping a user one, a composed one)': (dispatch: object) =>
      Object.assign(new (class Wrapper {})(), dispatch),
  }

  test.each(Object.entries(notAnAgent))('%s below answers the request, not the replay', async (_name, make) => {
    const run = await recorded('/json?mock=1', (response) => response.json())
    const globals = globalThis as unknown as Record<symbol, unknown>
    const mock = make({
      dispatch(
        _options: unknown,
        handler: {
          onConnect(abort: () => void): void
          onHeaders(status: number, raw: Buffer[], resume: () => void, text: string): boolean
          onData(chunk: Buffer): boolean
          onComplete(trailers: Buffer[]): void
        },
      ) {
        handler.onConnect(() => {})
        handler.onHeaders(200, [Buffer.from('content-type'), Buffer.from('text/plain')], () => {}, 'OK')
        handler.onData(Buffer.from('from the mock'))
        handler.onComplete([])
        return true
      },
    })
    const { fetchTransport } = await import('../../../src/engine/transport/fetch-dispatcher.js')
    const saved = globals[GLOBAL_DISPATCHER]
    globals[GLOBAL_DISPATCHER] = mock
    const undo = fetchTransport.install(() => {
      throw new Error('the engine must not be asked')
    })
    try {
      const result = await runCapture(async () => (await fetch(`${server.url}/json?mock=1`)).text(), {
        mode: 'strict',
        recording: run,
      })
      expect(result.value).toBe('from the mock')
    } finally {
      undo()
      expect(globals[GLOBAL_DISPATCHER]).toBe(mock)
      globals[GLOBAL_DISPATCHER] = saved
    }
  })
})
