/**
 * A live answer of known length (a JSON completion) reaches the client in one
 * write: its headers go with its body, which waits until the exchange is
 * recorded (gateway/forward.ts). It used to be two writes, the headers at
 * once and the body after the recording: one more system call and packet on
 * every buffered request's path (issue 13, part S). The gateway runs built, in a
 * process of its own (`npm run build` first): in this one, the test's reads would
 * wait for the recording too and join the two writes.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type FakeProvider, startFakeProvider } from '../../../../test/utils/fake-provider.js'
import { spawnBuiltGateway } from './built-gateway.js'

let dir: string
let fake: FakeProvider
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-gateway-write-'))
  fake = await startFakeProvider()
})
afterAll(async () => {
  await fake.close()
  rmSync(dir, { recursive: true, force: true })
})

/** Send one raw HTTP request; resolve the pieces the client's socket read, up to the whole answer. */
function rawExchange(url: string, body: string): Promise<string[]> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname)
    const pieces: string[] = []
    socket.on('data', (chunk: Buffer) => {
      pieces.push(chunk.toString('utf8'))
      const text = pieces.join('')
      const head = text.indexOf('\r\n\r\n')
      const length = /content-length: (\d+)/i.exec(text)
      if (head >= 0 && length && Buffer.byteLength(text.slice(head + 4)) >= Number(length[1])) {
        socket.end()
        resolve(pieces)
      }
    })
    socket.on('error', reject)
    socket.write(
      `POST /v1/chat/completions HTTP/1.1\r\nhost: ${hostname}:${port}\r\ncontent-type: application/json\r\n` +
        `authorization: Bearer test-key\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    )
  })
}

it('a JSON answer comes in one piece: headers and body together, once recorded', async () => {
  const gateway = await spawnBuiltGateway(join(dir, 'one.rpk'), `${fake.url}/v1`)
  try {
    for (let i = 0; i < 3; i++) {
      const body = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: `question ${i}` }] })
      const pieces = await rawExchange(gateway.url, body)
      expect(pieces[0]).toMatch(/^HTTP\/1\.1 200/)
      expect(pieces[0]).toContain('"choices"')
      expect(pieces).toHaveLength(1)
    }
  } finally {
    gateway.child.kill('SIGKILL')
  }
})
