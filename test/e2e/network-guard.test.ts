/**
 * MSW is loaded only when something needs it (engine/interception.ts): a
 * worker whose strict captures only replay the global `fetch` never loads it,
 * and every other route of a strict capture still never reaches the network:
 * the network guard (engine/transport/network-guard.ts) loads MSW inside the
 * first connection's call and hands that call to it. Packed packages in a
 * project outside the workspace; each scenario is a fresh process whose first
 * capture was a strict replay of `fetch` (so MSW was not loaded before it).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createProject, type TempProject } from './helpers/project.js'

let project: TempProject
let server: Server
let url: string
const hits: string[] = []

/** Shared by the scripts: MSW's files as Node resolves them (import and require alike), and the requests. */
const COMMON = `import { registerHooks } from 'node:module'
import http from 'node:http'
import https from 'node:https'
const resolved = []
registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); resolved.push(r.url); return r } })
export const mswLoaded = () => resolved.some((url) => /\\/node_modules\\/(msw|@mswjs)\\//.test(url))
export const base = process.env.SERVER_URL
export function get(target, options = {}) {
  const client = target.startsWith('https:') ? https : http
  return new Promise((resolve, reject) => {
    client.get(target, options, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () => resolve(res.statusCode + ' ' + body))
    }).on('error', reject)
  })
}
export const failure = (error) => ({ error: String(error?.code ?? error?.cause?.code ?? error?.name), message: String(error?.message ?? error) })
`

const RECORD = `import { writeFileSync } from 'node:fs'
import http from 'node:http'
import { request } from 'undici'
import { runCapture } from '@replaykit/core/engine'
import { base, get } from './common.mjs'
const agent = new http.Agent({ keepAlive: true })
const runs = {}
const record = async (name, fn) => {
  const result = await runCapture(fn, { mode: 'record', name, index: 1 })
  if (result.threw) throw result.error
  runs[name] = result.run
}
await record('fetch', async () => (await fetch(base + '/fetch')).text())
await record('http', () => get(base + '/http'))
await record('agent', () => get(base + '/agent', { agent }))
await record('undici', async () => (await request(base + '/undici')).body.text())
agent.destroy()
writeFileSync('runs.json', JSON.stringify(runs))
`

// Core is imported once common.mjs runs: its resolve hook then sees every module core loads.
const REPLAY = `import { readFileSync } from 'node:fs'
import http from 'node:http'
import { base, failure, get, mswLoaded } from './common.mjs'
const { runCapture } = await import('@replaykit/core/engine')
const runs = JSON.parse(readFileSync('runs.json', 'utf8'))
const scenario = process.argv[2]
const agent = new http.Agent({ keepAlive: true })
// A keep-alive socket connected before any capture, live (outside captures requests pass).
if (scenario === 'agent') await get(base + '/warm', { agent })
const strict = async (name, fn) => {
  const result = await runCapture(fn, { mode: 'strict', recording: runs[name], name, index: 1 })
  return { value: result.value, threw: result.threw ? failure(result.error) : false, problems: result.problems.map((p) => p.type) }
}
const out = {}
out.first = await strict('fetch', async () => (await fetch(base + '/fetch')).text())
out.mswAfterFetch = mswLoaded()
if (scenario === 'http') out.second = await strict('http', () => get(base + '/http'))
if (scenario === 'agent') out.second = await strict('agent', () => get(base + '/agent', { agent }))
if (scenario === 'undici') {
  const { request } = await import('undici')
  out.second = await strict('undici', async () => (await request(base + '/undici')).body.text())
}
if (scenario === 'https-miss') out.second = await strict('fetch', () => get('https://api.example.test/v1/models'))
if (scenario === 'late') {
  await strict('http', async () => {
    setTimeout(() => void get(base + '/late').then((v) => (out.late = v), (e) => (out.late = failure(e))), 20)
    return 'returned'
  })
  await new Promise((resolve) => setTimeout(resolve, 300))
}
out.mswAtEnd = mswLoaded()
agent.destroy()
console.log(JSON.stringify(out))
`

// The CommonJS build: require(esm) of MSW from core's CommonJS chunk.
const REPLAY_CJS = `const { readFileSync } = require('node:fs')
const http = require('node:http')
const { runCapture } = require('@replaykit/core/engine')
const runs = JSON.parse(readFileSync('runs.json', 'utf8'))
const base = process.env.SERVER_URL
const get = (target) => new Promise((resolve, reject) => {
  http.get(target, (res) => { let body = ''; res.on('data', (c) => (body += c)); res.on('end', () => resolve(res.statusCode + ' ' + body)) }).on('error', reject)
})
;(async () => {
  const first = await runCapture(async () => (await fetch(base + '/fetch')).text(), { mode: 'strict', recording: runs.fetch, name: 'fetch', index: 1 })
  const second = await runCapture(() => get(base + '/http'), { mode: 'strict', recording: runs.http, name: 'http', index: 1 })
  console.log(JSON.stringify({ first: first.value, second: second.value, threw: second.threw, problems: second.problems.length }))
})()
`

interface Outcome {
  value?: string
  threw: false | { error: string; message: string }
  problems: string[]
}

interface Report {
  first: Outcome
  second?: Outcome
  late?: string | { error: string; message: string }
  mswAfterFetch: boolean
  mswAtEnd: boolean
}

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '/')
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`live ${req.url}`)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  project = createProject({
    name: 'network-guard',
    packageJson: { type: 'module' },
    packages: ['@replaykit/core'],
  })
  project.write('common.mjs', COMMON)
  project.write('record.mjs', RECORD)
  project.write('replay.mjs', REPLAY)
  project.write('replay.cjs', REPLAY_CJS)
  const recorded = await project.run('record.mjs', [], { SERVER_URL: url })
  expect(recorded.code, recorded.output).toBe(0)
  expect(hits).toEqual(['/fetch', '/http', '/agent', '/undici'])
}, 120_000)

afterAll(async () => {
  project?.dispose()
  await new Promise((resolve) => server?.close(resolve))
})

async function replay(scenario: string): Promise<Report> {
  hits.length = 0
  const result = await project.run('replay.mjs', [scenario], { SERVER_URL: url })
  expect(result.code, result.output).toBe(0)
  const report = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as Report
  // Every scenario starts with a strict replay of fetch: answered at undici's dispatcher, with no MSW loaded.
  expect(report.first).toEqual({ value: 'live /fetch', threw: false, problems: [] })
  expect(report.mswAfterFetch).toBe(false)
  return report
}

describe('strict replay, MSW not loaded before the request', () => {
  test('a strict replay of fetch alone never loads MSW', async () => {
    const report = await replay('fetch-only')
    expect(report.mswAtEnd).toBe(false)
    expect(hits).toEqual([])
  })

  test('node:http: answered from the recording, not sent', async () => {
    const report = await replay('http')
    expect(report.second).toEqual({ value: '200 live /http', threw: false, problems: [] })
    expect(report.mswAtEnd).toBe(true)
    expect(hits).toEqual([])
  })

  test('a keep-alive socket connected before the first capture is not reused for a replayed request', async () => {
    const report = await replay('agent')
    expect(report.second).toEqual({ value: '200 live /agent', threw: false, problems: [] })
    expect(hits).toEqual(['/warm'])
  })

  test("undici's request() (the npm package's own dispatcher): answered from the recording, not sent", async () => {
    const report = await replay('undici')
    expect(report.second).toEqual({ value: 'live /undici', threw: false, problems: [] })
    expect(hits).toEqual([])
  })

  test('https to a host not recorded: refused by the replay, no DNS lookup, nothing sent', async () => {
    const report = await replay('https-miss')
    const second = report.second as Outcome
    // Refused by the engine (a miss), where a request let through fails to resolve the name (ENOTFOUND).
    expect(JSON.stringify(second)).not.toMatch(/ENOTFOUND|EAI_AGAIN|ECONNREFUSED/)
    expect(second.problems).toContain('unmatched-request')
    expect(hits).toEqual([])
  })

  test('a late node:http request of a strict capture is refused, not sent', async () => {
    const report = await replay('late')
    expect(JSON.stringify(report.late)).not.toContain('live /late')
    expect(hits).toEqual([])
  })

  test('the CommonJS build loads MSW the same way', async () => {
    hits.length = 0
    const result = await project.run('replay.cjs', [], { SERVER_URL: url })
    expect(result.code, result.output).toBe(0)
    expect(JSON.parse(result.stdout.trim())).toEqual({
      first: 'live /fetch',
      second: '200 live /http',
      threw: false,
      problems: 0,
    })
    expect(hits).toEqual([])
  })
})
