/**
 * Recording a finished exchange does not hold up the other streams
 * (gateway/record-queue.ts): when one stream ends in the same moment another
 * sends a chunk, the chunk is relayed first, then the finished stream is
 * recorded, and only then is its response ended (durable before the end, as
 * before). Checked by order, not by time: the gateway runs in this process,
 * its log says when an exchange is recorded, and its relay writes are noted.
 *
 * @note Its own upstream, not test/utils' fake provider: the test needs to send
 * one stream's end and another stream's chunk in the same tick.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, request, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { readRpkFile } from '../../src/artifact/read.js'
import { startGateway } from '../../src/public/gateway.js'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-gateway-off-path-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const event = (content: string): string =>
  `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`

/** An upstream whose streams stay open until the test writes to them. */
async function heldUpstream(): Promise<{ url: string; held: Map<string, ServerResponse>; close: () => void }> {
  const held = new Map<string, ServerResponse>()
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString()
    })
    req.on('end', () => {
      const name = String(JSON.parse(body).messages[0].content)
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write(event(`${name}-first`))
      held.set(name, res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    held,
    close: () => {
      server.closeAllConnections()
      server.close()
    },
  }
}

/** A streamed chat request through the gateway; `seen` resolves when the body holds `text`. */
function stream(url: string, name: string) {
  let body = ''
  const waiting: { text: string; resolve: () => void }[] = []
  const ended = new Promise<string>((resolve, reject) => {
    const req = request(
      `${url}/v1/chat/completions`,
      { method: 'POST', headers: { 'content-type': 'application/json', 'x-replaykit-session': name } },
      (res: IncomingMessage) => {
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString()
          for (const wait of waiting.filter((w) => body.includes(w.text))) wait.resolve()
        })
        res.on('end', () => resolve(body))
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(JSON.stringify({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: name }] }))
  })
  const seen = (text: string) =>
    body.includes(text) ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ text, resolve }))
  return { ended, seen }
}

it('a stream that ends is recorded after the chunks other streams sent meanwhile are relayed, and before its own end', async () => {
  const upstream = await heldUpstream()
  const order: string[] = []
  const out = join(dir, 'order.rpk')
  const gateway = await startGateway({
    out,
    upstreams: { openai: `${upstream.url}/v1` },
    log: (line) => {
      const session = /\[(\w+)\]$/.exec(line)?.[1]
      if (session) order.push(`recorded ${session}`)
    },
  })
  // The gateway's relay writes (its responses carry the session header; the upstream's do not).
  const write = ServerResponse.prototype.write
  ServerResponse.prototype.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    const session = this.req?.headers['x-replaykit-session']
    if (session && String(chunk).includes('-second')) order.push(`relayed ${session}`)
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest)
  } as typeof write
  try {
    const a = stream(gateway.url, 'alpha')
    const b = stream(gateway.url, 'beta')
    await Promise.all([a.seen('alpha-first'), b.seen('beta-first')])
    const alpha = upstream.held.get('alpha') as ServerResponse
    const beta = upstream.held.get('beta') as ServerResponse
    // In one tick: alpha's last 200 events and its end, then beta's next chunk.
    alpha.end(`${Array.from({ length: 200 }, (_, i) => event(`alpha-${i}`)).join('')}data: [DONE]\n\n`)
    beta.write(event('beta-second'))
    const alphaBody = await a.ended
    await b.seen('beta-second')
    order.push('alpha ended')
    beta.end('data: [DONE]\n\n')
    await b.ended

    expect(alphaBody).toContain('alpha-199')
    // Beta's chunk did not wait for alpha's recording; alpha was recorded before its response ended.
    expect(order.indexOf('relayed beta')).toBeGreaterThanOrEqual(0)
    expect(order.indexOf('relayed beta')).toBeLessThan(order.indexOf('recorded alpha'))
    expect(order.indexOf('recorded alpha')).toBeLessThan(order.indexOf('alpha ended'))
  } finally {
    ServerResponse.prototype.write = write
    await gateway.close()
    upstream.close()
  }
  const runs = Object.values(readRpkFile(out)?.runs ?? {})
  const responses = runs.flatMap((run) => run.steps).filter((step) => step.kind === 'model.response')
  expect(responses).toHaveLength(2)
})
