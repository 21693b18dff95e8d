/**
 * A streamed answer's events are redacted as they arrive (issue 13, part S2),
 * so the recording's job at the stream's end, which the client waits for, is
 * handed events with nothing left to redact; and what is written is what
 * redacting the whole stream at its end wrote, secrets split across events
 * included.
 *
 * The redactor module is wrapped (not changed) to see what the journal's
 * redaction is given: every redactor the gateway makes is a real one.
 *
 * @note Its own upstream, not test/utils' fake provider: the test plants a key
 * in the stream's deltas, whole in one event and cut across two.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { HttpResponseData, StreamEvent } from '../../src/artifact/types.js'
import { startGateway } from '../../src/public/gateway.js'
import { createRedactor } from '../../src/redact/redactor.js'

const KEY = `sk-proj-${'A1b2C3d4E5'.repeat(3)}`

/** The stream events each `response()` redaction was given, as text, before it redacted them. */
const given = vi.hoisted(() => [] as string[])

vi.mock(import('../../src/redact/redactor.js'), async (importOriginal) => {
  const original = await importOriginal()
  return {
    ...original,
    createRedactor: (options) => {
      const redactor = original.createRedactor(options)
      return {
        ...redactor,
        response: (response: HttpResponseData, url?: string) => {
          if (response.stream) given.push(JSON.stringify(response.stream.events))
          return redactor.response(response, url)
        },
      }
    },
  }
})

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-gateway-redact-early-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const event = (content: string): string =>
  `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`

/** An upstream streaming a key whole in one event, then cut across two, in separate writes. */
async function secretUpstream(): Promise<{ url: string; close: () => void }> {
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      const chunks = [event('the key is '), event(KEY), event(` and again ${KEY.slice(0, 12)}`), event(KEY.slice(12))]
      const next = (): void => {
        const chunk = chunks.shift()
        if (chunk === undefined) res.end('data: [DONE]\n\n')
        else res.write(chunk, () => setImmediate(next))
      }
      next()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections()
      server.close()
    },
  }
}

function post(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/v1/chat/completions`,
      { method: 'POST', headers: { 'content-type': 'application/json', 'x-replaykit-session': 'early' } },
      (res) => {
        let body = ''
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString()
        })
        res.on('end', () => resolve(body))
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(JSON.stringify({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'hi' }] }))
  })
}

describe('a recorded stream', () => {
  it('reaches the journal with its events redacted already, and is written with no key in it', async () => {
    const upstream = await secretUpstream()
    const out = join(dir, 'early.rpk')
    const gateway = await startGateway({ out, upstreams: { openai: `${upstream.url}/v1` }, log: () => {} })
    given.length = 0
    let body: string
    try {
      body = await post(gateway.url)
    } finally {
      await gateway.close()
      upstream.close()
    }
    // The client gets the answer as the upstream sent it.
    expect(body).toContain(KEY)
    // The journal's redaction was given events with no whole key left in them: redacted as they came.
    expect(given.length).toBeGreaterThan(0)
    for (const events of given) {
      expect(events).not.toContain(KEY)
      expect(events).toContain('[REDACTED:openai-key]')
    }
    // The key cut across two events is redacted in what is written, and no piece of it is left.
    const written = readFileSync(out, 'utf8')
    expect(written).not.toContain(KEY)
    expect(written).not.toContain(KEY.slice(12))
  })
})

describe('redactor.streamEvent', () => {
  const chunk = (content: string, atMs: number): StreamEvent => ({
    data: '',
    atMs,
    json: { choices: [{ index: 0, delta: { content } }] },
  })
  const stream = (): HttpResponseData => ({
    status: 200,
    headers: { 'content-type': 'text/event-stream' },
    stream: {
      format: 'sse',
      completion: 'clean',
      events: [chunk(`key ${KEY}`, 1), chunk(`cut ${KEY.slice(0, 10)}`, 2), chunk(KEY.slice(10), 3)],
    },
  })

  it('then response() gives what redacting the whole stream at its end gives', async () => {
    const { handOver } = await import('../../src/redact/hand-over.js')
    const redactor = createRedactor()
    const whole = redactor.response(handOver(stream()))
    const early = handOver(stream())
    const events = early.stream?.events ?? []
    early.stream = { ...(early.stream as NonNullable<HttpResponseData['stream']>), events: [] }
    for (const event of events) early.stream.events.push(redactor.streamEvent(event, early.stream.events.length))
    expect(redactor.response(early)).toEqual(whole)
    expect(JSON.stringify(whole)).not.toContain(KEY.slice(10))
  })

  it('is redacted again by a redactor with other rules', async () => {
    const { handOver } = await import('../../src/redact/hand-over.js')
    const early = handOver(stream())
    const events = early.stream?.events ?? []
    const redactor = createRedactor()
    const redacted = events.map((event, i) => redactor.streamEvent(event, i))
    early.stream = { ...(early.stream as NonNullable<HttpResponseData['stream']>), events: redacted }
    const other = createRedactor({ paths: ['$.choices[*].delta.content'] })
    const out = other.response(early)
    expect(out.stream?.events.map((event) => JSON.stringify(event.json))).toEqual(
      Array.from({ length: 3 }, () =>
        JSON.stringify({ choices: [{ index: 0, delta: { content: '[REDACTED:path]' } }] }),
      ),
    )
  })
})
