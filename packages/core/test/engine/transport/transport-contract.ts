/**
 * The transport contract, written once (Polly's `adapterTests()` model): what
 * any transport must do with the recorder's verdicts. A transport suite calls
 * `transportContract` with a way to send a request through it; MSW in the
 * test process is the first (msw-transport.test.ts), the gateway the next.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Run } from '../../../src/artifact/types.js'
import { runCapture } from '../../../src/public/engine.js'
import { type LocalServer, startLocalServer } from '../local-server.js'

export interface TransportUnderTest {
  /** Send a GET through the transport from the calling code's capture; rejects when the request fails. */
  send(url: string): Promise<string>
}

export function transportContract(name: string, transport: TransportUnderTest): void {
  let server: LocalServer
  beforeAll(async () => {
    server = await startLocalServer({
      'GET /hang-up': (req) => {
        req.socket.destroy()
      },
    })
  })
  afterAll(async () => {
    await server.close()
  })

  async function recording(path: string): Promise<{ run: Run; value: string | undefined }> {
    const result = await runCapture(() => transport.send(`${server.url}${path}`), { mode: 'record' })
    return { run: result.run, value: result.value }
  }

  test(`${name}: live goes to the network unchanged and is recorded`, async () => {
    server.hits.length = 0
    const result = await runCapture(() => transport.send(`${server.url}/json?live=1`), { mode: 'record' })
    expect(JSON.parse(String(result.value))).toMatchObject({ path: '/json?live=1' })
    expect(server.hits.map((hit) => hit.path)).toEqual(['/json?live=1'])
    expect(result.run.steps.map((step) => step.kind)).toEqual(['http.request', 'http.response'])
  })

  test(`${name}: replay answers from the recording; nothing reaches the network`, async () => {
    const { run, value } = await recording('/json?replay=1')
    server.hits.length = 0
    const result = await runCapture(() => transport.send(`${server.url}/json?replay=1`), {
      mode: 'strict',
      recording: run,
    })
    expect(server.hits).toEqual([])
    expect(result.problems).toEqual([])
    expect(result.run.steps.map((step) => step.kind)).toEqual(['http.request', 'http.response'])
    expect(result.value).toBe(value)
  })

  test(`${name}: refuse fails the request without sending it, and the miss is reported`, async () => {
    const { run } = await recording('/json?refuse=1')
    server.hits.length = 0
    const result = await runCapture(() => transport.send(`${server.url}/json?refuse=2`), {
      mode: 'strict',
      recording: run,
    })
    expect(result.threw).toBe(true)
    expect(server.hits).toEqual([])
    expect(result.problems.map((problem) => problem.type)).toEqual(['unmatched-request'])
  })

  test(`${name}: a live request that gets no answer is recorded as an error step`, async () => {
    const result = await runCapture(() => transport.send(`${server.url}/hang-up`).catch(() => 'failed'), {
      mode: 'record',
    })
    expect(result.value).toBe('failed')
    expect(result.run.steps.map((step) => step.kind)).toEqual(['http.request', 'error.event'])
  })

  test(`${name}: a request outside any capture passes untouched and is nobody's`, async () => {
    await recording('/json?installed=1')
    server.hits.length = 0
    expect(JSON.parse(await transport.send(`${server.url}/json?outside=1`))).toMatchObject({ path: '/json?outside=1' })
    expect(server.hits.map((hit) => hit.path)).toEqual(['/json?outside=1'])
  })
}
