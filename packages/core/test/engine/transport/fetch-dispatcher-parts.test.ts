/**
 * Recorded answers fed to fetch as parts (replay-response.ts `replayParts`,
 * fetch-delivery.ts `deliverParts`): a buffered body or an instantly replayed
 * complete stream reaches the client with no `Response`, `Headers` or body
 * stream built for it, and the client sees what it saw when recorded.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Run } from '../../../src/artifact/types.js'
import { runCapture } from '../../../src/public/engine.js'
import { type LocalServer, startLocalServer } from '../local-server.js'

let server: LocalServer
beforeAll(async () => {
  server = await startLocalServer({
    'GET /teapot': (_req, res) => {
      res.writeHead(418, 'Short And Stout', { 'content-type': 'application/json', 'x-kind': 'teapot' })
      res.end('{"brew":"no"}')
    },
    'GET /none': (_req, res) => {
      res.writeHead(204, { 'x-kind': 'none' })
      res.end()
    },
    'GET /empty': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end()
    },
  })
})
afterAll(async () => {
  await server.close()
})

/** What the client sees of a response: everything a replay must give back as recorded. */
async function seen(response: Response) {
  const headers: Record<string, string> = {}
  response.headers.forEach((value, name) => {
    // Transport headers are recomputed on replay: a whole body is framed by its length, a stream is chunked.
    if (!['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length'].includes(name))
      headers[name] = value
  })
  return {
    status: response.status,
    statusText: response.statusText,
    headers,
    body: Buffer.from(await response.arrayBuffer()).toString('base64'),
  }
}

/**
 * Run `fn` with the global `Response` and `Headers` constructors counted (fetch's own response
 * is undici's, made from its internal classes: only code that builds one through the globals counts).
 */
async function countConstructed<T>(fn: () => Promise<T>): Promise<{ value: T; built: string[] }> {
  const built: string[] = []
  const globals = globalThis as unknown as Record<string, unknown>
  const names = ['Response', 'Headers'] as const
  const originals = names.map((name) => globals[name])
  names.forEach((name, i) => {
    globals[name] = new Proxy(originals[i] as new (...args: unknown[]) => object, {
      construct(target, args, newTarget) {
        built.push(name)
        return Reflect.construct(target, args, newTarget)
      },
    })
  })
  try {
    return { value: await fn(), built }
  } finally {
    names.forEach((name, i) => {
      globals[name] = originals[i]
    })
  }
}

async function record(path: string): Promise<{ run: Run; value: Awaited<ReturnType<typeof seen>> }> {
  const result = await runCapture(async () => seen(await fetch(`${server.url}${path}`)), { mode: 'record' })
  expect(result.problems).toEqual([])
  return { run: result.run, value: result.value as Awaited<ReturnType<typeof seen>> }
}

test('a buffered or instantly streamed recorded answer reaches fetch with no Response or Headers built for it', async () => {
  for (const path of ['/json', '/sse']) {
    const { run, value } = await record(path)
    const { value: result, built } = await countConstructed(() =>
      runCapture(async () => seen(await fetch(`${server.url}${path}`)), { mode: 'strict', recording: run }),
    )
    expect(result.problems).toEqual([])
    expect(result.value).toEqual(value)
    expect(built).toEqual([])
  }
})

test('the client sees the recorded status, status text, headers and body, as through a built Response', async () => {
  for (const path of ['/teapot', '/none', '/empty', '/binary', '/sse', '/json?a=1']) {
    const { run, value } = await record(path)
    server.hits.length = 0
    const replayed = await runCapture(async () => seen(await fetch(`${server.url}${path}`)), {
      mode: 'strict',
      recording: run,
    })
    expect(server.hits).toEqual([])
    expect(replayed.problems).toEqual([])
    expect(replayed.value).toEqual(value)
    expect(replayed.run.steps).toEqual(run.steps.map((step) => ({ ...step, timing: expect.anything() })))
  }
})

test('an answer Response would refuse (a hand-edited header) still fails the request as before', async () => {
  const { run } = await record('/json')
  const edited = structuredClone(run)
  for (const step of edited.steps) {
    if (step.kind === 'http.response') step.response.headers['x-bad'] = 'one\ntwo'
  }
  const result = await runCapture(async () => (await fetch(`${server.url}/json`)).json(), {
    mode: 'strict',
    recording: edited,
  })
  expect(result.threw).toBe(true)
  expect(String((result.error as Error).cause ?? result.error)).toMatch(/header/i)
})
