import http from 'node:http'
import axios from 'axios'
import got from 'got'
import nodeFetch from 'node-fetch'
import { Pool, fetch as undiciFetch, request as undiciRequest } from 'undici'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { canonicalKey, type Run, stableStep } from '../../src/index.js'
import { runCapture } from '../../src/public/engine.js'
import { type LocalServer, startLocalServer } from './local-server.js'

let server: LocalServer
beforeAll(async () => {
  server = await startLocalServer()
})
afterAll(() => server.close())
beforeEach(() => {
  server.hits.length = 0
})

const json = async (path: string, init?: RequestInit) => (await fetch(`${server.url}${path}`, init)).json()
const post = (path: string, body: unknown) =>
  json(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })

/** Record fn live, then return the recording. */
async function record<T>(fn: () => Promise<T>): Promise<Run> {
  const result = await runCapture(fn, { mode: 'record' })
  expect(result.threw, String(result.error)).toBe(false)
  return result.run
}

const stable = (run: Run) => canonicalKey(run.steps.map(stableStep))

describe('record and strict replay', () => {
  test('replays fetch traffic with zero requests reaching the server', async () => {
    const code = async () => [await json('/json?b=2&a=1'), await post('/echo', { q: 'oslo' })]
    const recording = await record(code)
    expect(server.hits).toHaveLength(2)
    expect(recording.steps.map((s) => s.kind)).toEqual([
      'http.request',
      'http.response',
      'http.request',
      'http.response',
    ])
    const first = recording.steps[0]
    expect(first?.kind === 'http.request' && first.request.url).toBe(`${server.url}/json?a=1&b=2`)

    server.hits.length = 0
    const replay = await runCapture(code, { mode: 'strict', recording })
    expect(server.hits).toHaveLength(0)
    expect(replay.problems).toEqual([])
    expect(replay.value).toEqual([{ path: '/json?b=2&a=1', counter: expect.any(Number) }, { echo: { q: 'oslo' } }])
    expect(stable(replay.run)).toBe(stable(recording))
    expect(replay.run.outcome).toEqual(recording.outcome)
  })

  test('a request with no recording is refused fast, never sent, and reported', async () => {
    const result = await runCapture(() => json('/json'), { mode: 'strict' })
    expect(result.threw).toBe(true)
    expect(String(result.error)).toMatch(/fetch failed|Failed to fetch/)
    expect(server.hits).toHaveLength(0)
    expect(result.problems).toMatchObject([{ type: 'unmatched-request', method: 'GET' }])
    expect(result.problems[0]?.type === 'unmatched-request' && result.problems[0].message).toMatch(
      /\[ReplayKit\] strict replay/,
    )
    expect(result.run.steps.map((s) => s.kind)).toEqual(['http.request', 'error.event'])
  })

  test('a changed body is refused and lined up with the recorded request it replaces', async () => {
    const recording = await record(() => post('/echo', { city: 'Oslo' }))
    server.hits.length = 0
    const result = await runCapture(() => post('/echo', { city: 'Bergen' }).catch(() => 'failed'), {
      mode: 'strict',
      recording,
    })
    expect(server.hits).toHaveLength(0)
    expect(result.value).toBe('failed')
    const step = result.run.steps[0]
    expect(step?.correlationId).toBe(recording.steps[0]?.correlationId)
    expect(step?.kind === 'http.request' && step.request.body).toEqual({ json: { city: 'Bergen' } })
    expect(result.problems.map((p) => p.type)).toEqual(['unmatched-request'])
  })

  test('a recorded request the code no longer makes is reported', async () => {
    const recording = await record(async () => [await json('/json'), await post('/echo', 1)])
    const result = await runCapture(() => json('/json'), { mode: 'strict', recording })
    expect(result.problems).toMatchObject([{ type: 'unused-recording', method: 'POST' }])
  })

  test('repeated identical requests replay their answers in recorded order', async () => {
    const code = async () => [await json('/json'), await json('/json'), await json('/json')]
    const recording = await record(code)
    const counters = (await runCapture(code, { mode: 'strict', recording })).value?.map((v) => v.counter)
    const recorded = recording.outcome.type === 'return' && (recording.outcome.value as { counter: number }[])
    expect(counters).toEqual((recorded as { counter: number }[]).map((v) => v.counter))
    expect(new Set(counters).size).toBe(3)
  })

  test('concurrent identical requests each get one recorded answer', async () => {
    const code = () => Promise.all(Array.from({ length: 8 }, () => json('/json')))
    const recording = await record(code)
    server.hits.length = 0
    const replay = await runCapture(code, { mode: 'strict', recording })
    expect(server.hits).toHaveLength(0)
    const counters = (replay.value ?? []).map((v) => v.counter).sort((a, b) => a - b)
    const recorded = (recording.outcome.type === 'return' ? (recording.outcome.value as { counter: number }[]) : [])
      .map((v) => v.counter)
      .sort((a, b) => a - b)
    expect(counters).toEqual(recorded)
    expect(stable(replay.run)).toBe(stable(recording))
  })

  test('concurrent captures keep their own steps', async () => {
    const a = () => post('/echo', { who: 'a' })
    const b = async () => [await post('/echo', { who: 'b' }), await json('/slow')]
    const [ra, rb] = await Promise.all([runCapture(a, { mode: 'record' }), runCapture(b, { mode: 'record' })])
    expect(ra.run.steps).toHaveLength(2)
    expect(rb.run.steps).toHaveLength(4)
    expect(JSON.stringify(ra.run.steps)).not.toContain('"b"')
    const [pa, pb] = await Promise.all([
      runCapture(a, { mode: 'strict', recording: ra.run }),
      runCapture(b, { mode: 'strict', recording: rb.run }),
    ])
    expect([pa.problems, pb.problems]).toEqual([[], []])
  })
})

describe('modes', () => {
  test('hybrid replays what matches and sends the rest live, reporting it', async () => {
    const recording = await record(() => json('/json'))
    server.hits.length = 0
    const result = await runCapture(async () => [await json('/json'), await post('/echo', 'new')], {
      mode: 'hybrid',
      recording,
    })
    expect(server.hits.map((h) => h.path)).toEqual(['/echo'])
    expect(result.problems).toMatchObject([{ type: 'live-request', method: 'POST' }])
    expect(result.value?.[1]).toEqual({ echo: 'new' })
  })

  test('live-compare sends everything live', async () => {
    const recording = await record(() => json('/json'))
    server.hits.length = 0
    const result = await runCapture(() => json('/json'), { mode: 'live-compare', recording })
    expect(server.hits).toHaveLength(1)
    expect(result.run.steps).toHaveLength(2)
  })
})

describe('clients', () => {
  const clients: Record<string, (url: string) => Promise<unknown>> = {
    'node:http': (url) =>
      new Promise((resolve, reject) => {
        http
          .get(url, (res) => {
            let body = ''
            res.on('data', (chunk) => {
              body += chunk
            })
            res.on('end', () => resolve(JSON.parse(body)))
          })
          .on('error', reject)
      }),
    axios: async (url) => (await axios.get(url)).data,
    got: (url) => got(url).json(),
    'node-fetch': async (url) => (await nodeFetch(url)).json(),
    'undici.request': async (url) => (await undiciRequest(url)).body.json(),
    'undici Pool': async (url) => {
      const { origin, pathname, search } = new URL(url)
      const pool = new Pool(origin)
      try {
        return await (await pool.request({ method: 'GET', path: pathname + search })).body.json()
      } finally {
        await pool.close()
      }
    },
    'undici.fetch': async (url) => (await undiciFetch(url)).json(),
  }
  for (const [name, call] of Object.entries(clients)) {
    test(`${name}: records and replays with zero requests in strict mode`, async () => {
      const code = () => call(`${server.url}/json?client=${encodeURIComponent(name)}`)
      const recording = await record(code)
      expect(server.hits).toHaveLength(1)
      server.hits.length = 0
      const replay = await runCapture(code, { mode: 'strict', recording })
      expect(replay.error).toBeUndefined()
      expect(server.hits).toHaveLength(0)
      expect(replay.value).toEqual(recording.outcome.type === 'return' ? recording.outcome.value : undefined)
    })
  }
})

describe('bodies and streams', () => {
  test('an SSE stream is stored event by event and replayed the same', async () => {
    const code = async () => (await fetch(`${server.url}/sse`)).text()
    const recording = await record(code)
    const response = recording.steps[1]
    expect(response?.kind === 'http.response' && response.response.stream).toMatchObject({
      format: 'sse',
      completion: 'clean',
      events: [
        { event: 'tick', json: { i: 0 } },
        { event: 'tick', json: { i: 1 } },
        { event: 'tick', json: { i: 2 } },
        { data: '[DONE]' },
      ],
    })
    const replay = await runCapture(code, { mode: 'strict', recording })
    expect(replay.value).toBe(recording.outcome.type === 'return' ? recording.outcome.value : '')
    expect(server.hits).toHaveLength(1)
  })

  test('a stream cut off mid-event is recorded as interrupted and replays as cut off', async () => {
    const code = async () => {
      const chunks: string[] = []
      try {
        const response = await fetch(`${server.url}/cut`)
        const decoder = new TextDecoder()
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>)
          chunks.push(decoder.decode(chunk))
        return { chunks: chunks.join(''), failed: false }
      } catch {
        return { chunks: chunks.join(''), failed: true }
      }
    }
    const recording = await record(code)
    const response = recording.steps[1]
    expect(response?.kind === 'http.response' && response.response.stream?.completion).toBe('interrupted')
    expect(recording.outcome).toMatchObject({ value: { failed: true } })
    const replay = await runCapture(code, { mode: 'strict', recording })
    expect(replay.value).toMatchObject({ failed: true, chunks: expect.stringContaining('{"part":1}') })
  })

  test('binary bodies round-trip as base64', async () => {
    const code = async () => [...new Uint8Array(await (await fetch(`${server.url}/binary`)).arrayBuffer())]
    const recording = await record(code)
    const response = recording.steps[1]
    expect(response?.kind === 'http.response' && response.response.body).toEqual({ base64: 'AAEC//4=' })
    expect((await runCapture(code, { mode: 'strict', recording })).value).toEqual([0, 1, 2, 255, 254])
  })

  test('volatile headers are not stored', async () => {
    const recording = await record(() => json('/json'))
    const response = recording.steps[1]
    expect(response?.kind === 'http.response' && Object.keys(response.response.headers)).toEqual(['content-type'])
  })
})

describe('redaction and determinism', () => {
  test('auth headers are stored as placeholders and a different key still matches', async () => {
    const call = (key: string) => () =>
      json('/json?key=abc123', { headers: { authorization: `Bearer ${key}`, 'x-api-key': key } })
    const recording = await record(call('sk-proj-aaaaaaaaaaaaaaaaaaaaaaaaaaaa'))
    const text = JSON.stringify(recording)
    expect(text).not.toContain('aaaaaaaaaaaa')
    // The server echoes the URL in its body; the stored request itself carries no key.
    expect(JSON.stringify(recording.steps[0])).not.toContain('abc123')
    server.hits.length = 0
    const replay = await runCapture(call('sk-proj-bbbbbbbbbbbbbbbbbbbbbbbbbbbb'), { mode: 'strict', recording })
    expect(replay.problems).toEqual([])
    expect(server.hits).toHaveLength(0)
  })

  test('time and random values drawn in the code are replayed, so stamped requests still match', async () => {
    const code = () =>
      post('/echo', { at: Date.now(), day: new Date().toISOString(), r: Math.random(), id: crypto.randomUUID() })
    const recording = await record(code)
    expect(recording.drawn?.map((d) => d.source)).toEqual(['Date.now', 'Date', 'Math.random', 'crypto.randomUUID'])
    await new Promise((resolve) => setTimeout(resolve, 5))
    server.hits.length = 0
    const replay = await runCapture(code, { mode: 'strict', recording })
    expect(replay.problems).toEqual([])
    expect(replay.value).toEqual(recording.outcome.type === 'return' ? recording.outcome.value : undefined)
    expect(server.hits).toHaveLength(0)
  })
})

describe('interception lifecycle', () => {
  test('leaves fetch and node:http as they were after the capture', async () => {
    const fetchBefore = globalThis.fetch
    const requestBefore = http.request
    await runCapture(() => json('/json'), { mode: 'record' })
    expect(globalThis.fetch).toBe(fetchBefore)
    expect(http.request).toBe(requestBefore)
  })
})
