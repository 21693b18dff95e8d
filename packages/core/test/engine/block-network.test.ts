/**
 * blockNetwork: connections to hosts other than loopback and allowedHosts are
 * refused before DNS and before any packet, for every client and for Node
 * child processes; loopback, allowed hosts and a user's MSW handlers work.
 * The refused host is `api.example.test` (a reserved name that never resolves).
 */
import { execFile } from 'node:child_process'
import http from 'node:http'
import net from 'node:net'
import tls from 'node:tls'
import axios from 'axios'
import { HttpResponse, http as mswHttp } from 'msw'
import { setupServer } from 'msw/node'
import { request as undiciRequest } from 'undici'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { isReplayKitError } from '../../src/index.js'
import { BLOCK_ENV, blockNetwork } from '../../src/public/node.js'
import { type LocalServer, startLocalServer } from './local-server.js'

const BLOCKED = 'api.example.test'
let server: LocalServer
let unblock: () => void
beforeAll(async () => {
  server = await startLocalServer()
  unblock = blockNetwork({ allowedHosts: ['*.internal.test', 'exact.allowed.test'] })
})
afterAll(async () => {
  unblock()
  await server.close()
})

/** The ReplayKitError somewhere in an error's cause chain. */
function blockedError(error: unknown): Error | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 5 && current; depth++) {
    if (isReplayKitError(current)) return current
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

function expectBlocked(error: unknown, host = BLOCKED): void {
  const found = blockedError(error)
  expect(
    found,
    `${String(error)} ${String((error as { cause?: unknown })?.cause)} ${String((error as { cause?: { cause?: unknown } })?.cause?.cause)}`,
  ).toBeDefined()
  expect((found as { code?: string }).code).toBe('RPK_NETWORK_BLOCKED')
  expect(found?.message).toContain(host)
  expect(found?.message).toContain('allowedHosts')
}

const clients: Record<string, (url: string) => Promise<unknown>> = {
  fetch: (url) => fetch(url),
  'node:http': (url) =>
    new Promise((resolve, reject) => {
      http.get(url, resolve).on('error', reject)
    }),
  'undici.request': (url) => undiciRequest(url),
  axios: (url) => axios.get(url),
}

for (const [name, get] of Object.entries(clients)) {
  test(`${name} to a host not allowed is refused before DNS; loopback works`, async () => {
    expectBlocked(await get(`http://${BLOCKED}/v1/models`).catch((error: unknown) => error))
    const before = server.hits.length
    await get(`${server.url}/json`)
    expect(server.hits.length).toBe(before + 1)
  })
}

test('raw net.connect and tls.connect are refused; allowedHosts patterns are let through to DNS', async () => {
  const refused = (socket: net.Socket) =>
    new Promise<unknown>((resolve) => {
      socket.on('error', resolve)
      socket.on('connect', () => resolve(new Error('connected')))
    })
  expectBlocked(await refused(net.connect(443, BLOCKED)))
  expectBlocked(await refused(tls.connect({ host: BLOCKED, port: 443 })))
  expectBlocked(await refused(net.connect({ host: '10.0.0.1', port: 80 })), '10.0.0.1')
  // Allowed: the connection attempt goes on (and fails at DNS: .test names never resolve).
  for (const host of ['db.internal.test', 'exact.allowed.test']) {
    const error = await refused(net.connect(80, host))
    expect(blockedError(error)).toBeUndefined()
  }
})

test("a user's MSW handler still answers a request outside any capture; what it lets through is refused", async () => {
  const user = setupServer(mswHttp.get(`http://${BLOCKED}/mocked`, () => HttpResponse.json({ mocked: true })))
  user.listen()
  try {
    const response = await fetch(`http://${BLOCKED}/mocked`)
    expect(await response.json()).toEqual({ mocked: true })
    // Refused under MSW's passthrough too; undici then reports "closed", so the reason is a process warning.
    const warnings: Error[] = []
    const onWarning = (warning: Error) => warnings.push(warning)
    process.on('warning', onWarning)
    const error = await fetch(`http://${BLOCKED}/not-mocked`).catch((caught: unknown) => caught)
    await new Promise((resolve) => setImmediate(resolve))
    process.off('warning', onWarning)
    expect(error).toBeInstanceOf(Error)
    const warning = warnings.find((w) => (w as { code?: string }).code === 'RPK_NETWORK_BLOCKED')
    expect(warning?.message).toContain(`${BLOCKED}:80`)
    expect(warning?.message).toContain('allowedHosts')
    const before = server.hits.length
    await fetch(`${server.url}/json?through-msw=1`)
    expect(server.hits.length).toBe(before + 1)
  } finally {
    user.close()
  }
})

test('a Node child process started with the environment is blocked too', async () => {
  expect(process.env[BLOCK_ENV]).toBeDefined()
  const script = `fetch('http://${BLOCKED}/v1/models').then(() => console.log('SENT'), (e) => console.log(e.cause?.code ?? e.code, e.cause?.message ?? e.message))
fetch('${server.url}/json?child=1').then((r) => console.log('LOOPBACK', r.status))`
  const output = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, ['-e', script], { env: process.env }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
    )
  })
  expect(output).toContain('RPK_NETWORK_BLOCKED')
  expect(output).toContain(BLOCKED)
  expect(output).toContain('LOOPBACK 200')
  expect(output).not.toContain('SENT')
})

test('a second blockNetwork with the same hosts shares the first (a setup file runs once per test file)', async () => {
  const again = blockNetwork({ allowedHosts: ['*.internal.test', 'exact.allowed.test'] })
  expect(process.env.NODE_OPTIONS?.match(/--import=data:/g)).toHaveLength(1)
  again()
  // The first holder still has it.
  expectBlocked(await fetch(`http://${BLOCKED}/still`).catch((error: unknown) => error))
  expect(process.env.NODE_OPTIONS?.match(/--import=data:/g)).toHaveLength(1)
})

test('a strict capture of a blocked host is answered by the engine (interception sits above the blocker)', async () => {
  const { runCapture } = await import('../../src/public/engine.js')
  const result = await runCapture(
    async () =>
      (await fetch(`http://${BLOCKED}/v1/chat/completions`, { method: 'POST', body: '{"model":"m","messages":[]}' }))
        .status,
    { mode: 'strict' },
  )
  // The engine's provider-shaped refusal, not a connection error from the blocker.
  expect(result.value).toBe(400)
  expect(result.problems.map((problem) => problem.type)).toEqual(['unmatched-request'])
})
