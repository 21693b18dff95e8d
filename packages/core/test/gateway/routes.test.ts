/**
 * The route contract (docs/gateway-routes.md): each route reaches the right
 * upstream path unchanged, the gateway's own routes answer, an unroutable path
 * gets a provider-shaped 404 saying how to route it, a WebSocket upgrade is
 * refused so the client falls back to HTTP.
 */

import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeProvider, startFakeProvider } from '../../../../test/utils/fake-provider.js'
import { readRpkFile } from '../../src/artifact/read.js'
import { type Gateway, gatewayEnv, startGateway } from '../../src/public/gateway.js'

let dir: string
let fake: FakeProvider
let gateway: Gateway
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-gateway-routes-'))
  fake = await startFakeProvider({ eventDelayMs: 0 })
  gateway = await startGateway({
    out: join(dir, 'routes.rpk'),
    upstreams: { openai: `${fake.url}/v1`, anthropic: fake.url, gemini: fake.url },
  })
})
afterAll(async () => {
  await gateway.close()
  await fake.close()
  rmSync(dir, { recursive: true, force: true })
})

const anthropicHeaders = { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': 'k' }
const body = (extra: object = {}): string =>
  JSON.stringify({ model: 'm', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }], ...extra })

describe('provider routes reach the upstream path', () => {
  const cases: [string, string, RequestInit, string][] = [
    ['POST', '/v1/chat/completions', { body: body() }, '/v1/chat/completions'],
    ['POST', '/v1/responses', { body: JSON.stringify({ model: 'm', input: 'hi' }) }, '/v1/responses'],
    ['POST', '/responses', { body: JSON.stringify({ model: 'm', input: 'hi', stream: true }) }, '/v1/responses'],
    ['POST', '/v1/responses/compact', { body: JSON.stringify({ model: 'm', input: [] }) }, '/v1/responses/compact'],
    ['GET', '/v1/models', {}, '/v1/models'],
    ['GET', '/models?client_version=0.169.0', {}, '/v1/models?client_version=0.169.0'],
    ['POST', '/v1/embeddings', { body: JSON.stringify({ model: 'e', input: 'hi' }) }, '/v1/embeddings'],
    ['POST', '/v1/messages?beta=true', { body: body(), headers: anthropicHeaders }, '/v1/messages?beta=true'],
    ['POST', '/v1/messages/count_tokens', { body: body(), headers: anthropicHeaders }, '/v1/messages/count_tokens'],
    ['GET', '/v1/models', { headers: anthropicHeaders }, '/v1/models'],
    [
      'POST',
      '/v1beta/models/gemini-2.5-flash:generateContent',
      { body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }) },
      '/v1beta/models/gemini-2.5-flash:generateContent',
    ],
    [
      'POST',
      '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
      { body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }) },
      '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
    ],
    [
      'POST',
      '/v1beta/models/gemini-2.5-flash:streamGenerateContent',
      { body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }) },
      '/v1beta/models/gemini-2.5-flash:streamGenerateContent',
    ],
    ['GET', '/openai/v1/files', {}, '/v1/files'],
    ['GET', '/anthropic/v1/organizations/me', { headers: anthropicHeaders }, '/v1/organizations/me'],
  ]
  for (const [method, path, init, upstreamPath] of cases) {
    it(`${method} ${path}${init.headers ? ' (anthropic headers)' : ''} → ${upstreamPath}`, async () => {
      fake.reset()
      const headers = { 'content-type': 'application/json', ...(init.headers as Record<string, string>) }
      const viaGateway = await fetch(`${gateway.url}${path}`, { ...init, method, headers })
      const gatewayText = await viaGateway.text()
      expect(fake.requests.map((request) => request.path)).toEqual([upstreamPath])
      const direct = await fetch(`${fake.url}${upstreamPath}`, { ...init, method, headers })
      expect(viaGateway.status).toBe(direct.status)
      expect(gatewayText).toBe(await direct.text())
    })
  }

  it('records provider endpoints as model steps and other paths as http steps', async () => {
    await gateway.close()
    const steps = Object.values(readRpkFile(join(dir, 'routes.rpk'))?.runs ?? {}).flatMap((run) => run.steps)
    const urls = (kind: string): string[] =>
      steps.flatMap((step) => (step.kind === kind && 'request' in step ? [new URL(step.request.url).pathname] : []))
    expect(urls('model.request')).toContain('/v1/messages')
    expect(urls('model.request')).toContain('/v1beta/models/gemini-2.5-flash:streamGenerateContent')
    expect(urls('http.request')).toContain('/v1/embeddings')
    expect(urls('http.request')).toContain('/v1/responses/compact')
    gateway = await startGateway({ upstreams: { openai: `${fake.url}/v1`, anthropic: fake.url, gemini: fake.url } })
  })
})

describe("the gateway's own answers", () => {
  it('an unroutable path: a provider-shaped 404 naming the path and how to route it', async () => {
    const response = await fetch(`${gateway.url}/some/thing`, { method: 'POST', body: '{}' })
    expect(response.status).toBe(404)
    const { error } = (await response.json()) as { error: { message: string; type: string } }
    expect(error.type).toBe('replaykit_unroutable_path')
    expect(error.message).toContain('POST /some/thing')
    expect(error.message).toContain('/openai, /anthropic or /gemini')
  })

  it('HEAD / and /api/hello (Claude Code probes them) and the health route', async () => {
    const head = await fetch(`${gateway.url}/`, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect((await fetch(`${gateway.url}/api/hello`, { method: 'HEAD' })).status).toBe(200)
    const health = (await (await fetch(`${gateway.url}/__replaykit/health`)).json()) as Record<string, unknown>
    expect(health).toMatchObject({ url: gateway.url, port: gateway.port, pid: process.pid, mode: 'live' })
    expect(typeof health.requests).toBe('number')
  })

  it('a WebSocket upgrade is refused with a status, so the client falls back to HTTP', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${gateway.url}/v1/responses`, {
        headers: {
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        },
      })
      req.on('response', (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('upgrade', () => reject(new Error('upgraded')))
      req.on('error', reject)
      req.end()
    })
    expect(status).toBe(426)
    // The gateway still serves HTTP afterwards.
    expect((await fetch(`${gateway.url}/__replaykit/health`)).status).toBe(200)
  })

  it('a port in use is RPK_PORT_IN_USE; an unknown option is RPK_BAD_CONFIG', async () => {
    await expect(startGateway({ port: gateway.port })).rejects.toMatchObject({ code: 'RPK_PORT_IN_USE' })
    await expect(startGateway({ prot: 1 } as never)).rejects.toMatchObject({ code: 'RPK_BAD_CONFIG' })
  })

  it('gatewayEnv: base URLs and the Codex overrides', () => {
    const env = gatewayEnv('http://127.0.0.1:9999')
    expect(env.env).toEqual({
      OPENAI_BASE_URL: 'http://127.0.0.1:9999/v1',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9999',
      GOOGLE_GEMINI_BASE_URL: 'http://127.0.0.1:9999',
    })
    expect(env.codexArgs.join(' ')).toContain('base_url="http://127.0.0.1:9999/v1"')
    expect(env.codexArgs.join(' ')).toContain('supports_websockets=false')
  })
})

describe('bytes pass through unchanged', () => {
  it('a gzip answer reaches the client compressed as sent, and is recorded decoded', async () => {
    const answer = JSON.stringify({
      id: 'x',
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: 'zipped' }, finish_reason: 'stop' }],
    })
    const zipped = gzipSync(answer)
    const upstream = createServer((req, res) => {
      req.resume()
      req.on('end', () => {
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          'content-length': zipped.length,
        })
        res.end(zipped)
      })
    })
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
    const out = join(dir, 'gzip.rpk')
    const relay = await startGateway({
      out,
      upstreams: { openai: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1` },
    })
    try {
      const raw = await new Promise<{ encoding?: string; bytes: Buffer }>((resolve, reject) => {
        const req = httpRequest(
          `${relay.url}/v1/chat/completions`,
          { method: 'POST', headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip' } },
          (res) => {
            const chunks: Buffer[] = []
            res.on('data', (chunk: Buffer) => chunks.push(chunk))
            res.on('end', () => resolve({ encoding: res.headers['content-encoding'], bytes: Buffer.concat(chunks) }))
          },
        )
        req.on('error', reject)
        req.end(JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }))
      })
      expect(raw.encoding).toBe('gzip')
      expect(raw.bytes.equals(zipped)).toBe(true)
    } finally {
      await relay.close()
      upstream.close()
    }
    const steps = Object.values(readRpkFile(out)?.runs ?? {}).flatMap((run) => run.steps)
    const response = steps.find((step) => step.kind === 'model.response')
    expect(response?.kind === 'model.response' && response.text).toBe('zipped')
  })
})

describe('streaming is relayed as it arrives', () => {
  it('the first event reaches the client while the upstream is still sending', async () => {
    const paced = await startFakeProvider({ eventDelayMs: 120 })
    const relay = await startGateway({ upstreams: { anthropic: paced.url } })
    try {
      const response = await fetch(`${relay.url}/v1/messages`, {
        method: 'POST',
        headers: anthropicHeaders,
        body: body({ stream: true }),
      })
      const reader = (response.body as ReadableStream<Uint8Array>).getReader()
      const decoder = new TextDecoder()
      const first = decoder.decode((await reader.read()).value)
      expect(first).toContain('message_start')
      let rest = ''
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        rest += decoder.decode(value)
      }
      // The end had not been sent when the first event arrived: nothing was buffered.
      expect(first).not.toContain('message_stop')
      expect(rest).toContain('message_stop')
      // Pings are relayed too.
      expect(rest).toContain('event: ping')
    } finally {
      await relay.close()
      await paced.close()
    }
  })
})
