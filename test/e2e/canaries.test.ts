/**
 * The canary suite: every secret kind ReplayKit promises to redact, planted as
 * a unique value on the wire (real `openai`, `@anthropic-ai/sdk` and
 * `@google/genai` clients against the fake provider, and plain `fetch` to a
 * canary server), in requests, responses, SSE `id`/`event`/`data`, answers
 * split across stream deltas, tool arguments, the value `fn` returns and the
 * errors it throws. Then every artifact, report and terminal output is
 * searched for each canary, as written and percent- and base64-decoded:
 *
 * - core: captures in-process, the `.rpk` written by the store, divergence
 *   reports (terminal and JSON), live-compare drift lines;
 * - runners: the real `vitest` binary with the packed packages (recording run,
 *   then a CI run that diverges), its stdout and stderr, every file it left,
 *   and the `replaykit inspect` / `diff` output.
 *
 * Figures: canaries planted, leaked (must be 0), runs refused by the pre-write scan.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Run } from '../../packages/core/src/artifact/types.js'
import { divergenceJson, formatDivergence } from '../../packages/core/src/diff/index.js'
import { compareRuns } from '../../packages/core/src/index.js'
import { runCapture } from '../../packages/core/src/public/engine.js'
import { driftLines } from '../../packages/core/src/replay-matcher/messages.js'
import { ReplayFile } from '../../packages/core/src/store/replay-file.js'
import { type FakeProvider, startFakeProvider } from '../utils/fake-provider.js'
import {
  type Canaries,
  failingTraffic,
  makeCanaries,
  outcomeValue,
  patternText,
  providerTraffic,
  type Wire,
  wireTraffic,
} from './helpers/canary-traffic.js'
import { createProject, type RunResult, type TempProject } from './helpers/project.js'

const canaries: Canaries = makeCanaries()
let fake: FakeProvider
let server: Server
let wire: Wire
/** Every output searched, by where it came from. */
const outputs = new Map<string, string>()
let refused = 0

beforeAll(async () => {
  fake = await startFakeProvider({
    reply: (turn) =>
      turn.tools.includes('lookup')
        ? { type: 'tool', name: 'lookup', arguments: { note: patternText(canaries, 'tool-arguments') } }
        : { type: 'text', text: patternText(canaries, 'answer') },
  })
  server = createServer((req, res) => {
    req.resume()
    req.on('end', () => canaryRoute(req, res))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  wire = { fakeUrl: fake.url, wireUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, canaries }
})

afterAll(async () => {
  await fake?.close()
  await new Promise<void>((resolve) => server?.close(() => resolve()))
  const planted = Object.keys(canaries).length
  const leaked = leaks([...outputs.values()].join('\n'))
  console.log(
    `canaries planted: ${planted}, leaked: ${leaked.length}, runs refused: ${refused}, outputs searched: ${outputs.size}`,
  )
})

/** The canary server: secrets in response headers, bodies, a redirect, SSE fields and split deltas. */
function canaryRoute(req: IncomingMessage, res: ServerResponse): void {
  const c = canaries
  const path = (req.url ?? '/').split('?')[0]
  if (path === '/secrets') {
    res.writeHead(200, {
      'content-type': 'application/json',
      'set-cookie': `session=${c['response-header:set-cookie']}; Path=/; HttpOnly`,
      'x-auth-token': c['response-header:x-auth-token'],
    })
    const fields = [
      'password',
      'api_key',
      'apiKey',
      'token',
      'secret',
      'client_secret',
      'access_token',
      'refresh_token',
    ]
    res.end(
      JSON.stringify({
        account: Object.fromEntries(fields.map((name) => [name, c[`response-field:${name}`]])),
        text: patternText(c, 'response-body'),
        link: `postgres://bob:${c['url-credentials:password']}@db.internal:5432/app`,
      }),
    )
  } else if (path === '/form') {
    res.writeHead(200, { 'content-type': 'text/plain' })
    res.end('ok')
  } else if (path === '/redirect') {
    res.writeHead(302, { location: `/landing?state=1&access_token=${c['response-header:location access_token']}` })
    res.end()
  } else if (path === '/events') {
    res.writeHead(200, { 'content-type': 'text/event-stream' })
    res.write(
      `id: ${c['sse:id']}\nevent: ${c['sse:event']}\ndata: ${JSON.stringify({ text: patternText(c, 'sse-data') })}\n\n`,
    )
    res.end(`data: ${patternText(c, 'sse-data')}\n\n`)
  } else if (path === '/split/v1/chat/completions') {
    res.writeHead(200, { 'content-type': 'text/event-stream' })
    // Every key of the answer cut in two deltas: whole only in the assembled text.
    const text = patternText(c, 'split-answer')
    for (let i = 0; i < text.length; i += 7) {
      const delta = { content: text.slice(i, i + 7) }
      res.write(`data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta }] })}\n\n`)
    }
    res.end('data: [DONE]\n\n')
  } else if (path === '/v1/unauthorized') {
    res.writeHead(401, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${c['error:401-body']}` } }))
  } else {
    res.writeHead(404, { 'content-type': 'text/plain' })
    res.end('not found')
  }
}

/** Each run of percent-escapes decoded (malformed ones left). */
function percentDecoded(text: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run)
    } catch {
      return run
    }
  })
}

/** Every run that could be base64 (or base64url), decoded. */
function base64Decoded(text: string): string {
  const out: string[] = []
  for (const match of text.matchAll(/[A-Za-z0-9+/_-]{16,}={0,2}/g)) {
    out.push(Buffer.from(match[0], 'base64').toString('latin1'), Buffer.from(match[0], 'base64url').toString('latin1'))
  }
  return out.join('\n')
}

/** The canaries found in a text: whole, or their last 16 (random) characters, as written or decoded. */
function leaks(text: string): string[] {
  const views = [text, percentDecoded(text), base64Decoded(text), base64Decoded(percentDecoded(text))]
  return Object.entries(canaries)
    .filter(([, value]) => views.some((view) => view.includes(value) || view.includes(value.slice(-16))))
    .map(([kind]) => kind)
}

/** Record an output and say which canaries it holds (by kind, never the value). */
function searched(where: string, text: string): string[] {
  outputs.set(where, text)
  const found = leaks(text)
  // Where each leak sits, the value itself cut out: enough to find the rule that missed it.
  for (const kind of found) {
    const tail = (canaries[kind] as string).slice(-16)
    const at = text.indexOf(tail)
    if (at >= 0)
      console.log(
        `leak of ${kind} in ${where}: …${text.slice(Math.max(0, at - 120), at).replace(/[A-Za-z0-9]{16,}$/, '<canary>')}…`,
      )
  }
  return found
}

const TRAFFIC: Record<string, (w: Wire) => Promise<unknown>> = {
  providers: (w) => providerTraffic(w, false),
  'providers streaming': (w) => providerTraffic(w, true),
  'plain http': (w) => wireTraffic(w),
  'fetch error with URL credentials': (w) => failingTraffic(w, 'credentials'),
  'error quoting a ?key= URL': (w) => failingTraffic(w, 'query'),
  'provider 401 quoting the key': (w) => failingTraffic(w, 'provider-401'),
  'returned secrets': async (w) => outcomeValue(w),
}

describe('core: captures, the .rpk, divergence reports', () => {
  const recorded = new Map<string, Run>()

  beforeAll(async () => {
    for (const [name, fn] of Object.entries(TRAFFIC)) {
      const result = await runCapture(() => fn(wire), { mode: 'record', name })
      recorded.set(name, result.run)
    }
  })

  test('the canaries were on the wire: the servers received them', () => {
    const received = JSON.stringify(fake.requests)
    expect(received).toContain(canaries['provider-key:openai'])
    expect(received).toContain(canaries['provider-key:anthropic'])
    expect(received).toContain(canaries['provider-key:gemini'])
    expect(received).toContain(canaries['request-body:jwt'])
  })

  test('runs and the .rpk the store writes hold none', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const dir = mkdtempSync(join(tmpdir(), 'rpk-canaries-'))
    try {
      const file = new ReplayFile(join(dir, 'canaries.test.ts'), { update: 'new' })
      for (const [name, run] of recorded) file.store(`${name} 1`, run)
      const saved = file.save()
      refused += saved.unsaved.length
      expect(saved.error).toBeUndefined()
      expect(searched('core runs', JSON.stringify([...recorded.values()]))).toEqual([])
      expect(searched('core .rpk', readFileSync(saved.rpkPath, 'utf8'))).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('divergence reports and live-compare drift lines hold none', async () => {
    const runs = [...recorded.values()]
    const empty: Run = { name: 'empty', index: 1, steps: [], outcome: { type: 'return' } }
    const printed: string[] = []
    for (const [i, run] of runs.entries()) {
      const other = runs[(i + 1) % runs.length] as Run
      for (const [a, b] of [
        [run, empty],
        [empty, run],
        [run, other],
      ] as const) {
        const comparison = compareRuns(a, b)
        printed.push(formatDivergence(comparison, { color: false, maxChanges: 1000 }))
        printed.push(JSON.stringify(divergenceJson(comparison)))
        printed.push(...driftLines(comparison.all, comparison.differences))
      }
    }
    // A live-compare run: the same code live again, compared with the recording.
    const live = await runCapture(() => wireTraffic(wire), {
      mode: 'live-compare',
      recording: recorded.get('plain http'),
    })
    const drift = compareRuns(recorded.get('plain http') as Run, live.run)
    printed.push(formatDivergence(drift, { color: true }), ...driftLines(drift.all, drift.differences))
    expect(searched('core divergence reports', printed.join('\n'))).toEqual([])
  })
})

describe('runners: the real vitest binary with the packed packages, and the CLI', () => {
  let project: TempProject
  const VITEST = 'node_modules/vitest/vitest.mjs'
  const CLI = 'node_modules/@replaykit/cli/bin/replaykit.js'

  beforeAll(() => {
    project = createProject({
      name: 'canaries',
      packageJson: { type: 'module', devDependencies: { vitest: '^5.1.1', '@replaykit/vitest': '0.1.0' } },
      packages: ['@replaykit/core', '@replaykit/vitest', '@replaykit/cli'],
    })
    project.write(
      'src/canary-traffic.ts',
      readFileSync(new URL('./helpers/canary-traffic.ts', import.meta.url), 'utf8'),
    )
    project.write(
      'vitest.config.ts',
      `import replaykit from '@replaykit/vitest'
import { defineConfig } from 'vitest/config'
export default defineConfig({ plugins: [replaykit({ report: process.env.RPK_REPORT === 'json' ? 'json' : 'summary' })] })
`,
    )
    const tests = Object.keys(TRAFFIC)
      .map(
        (name) => `test(${JSON.stringify(name)}, async () => {
  const run = await capture(() => traffic[${JSON.stringify(name)}]())
  expect(run).toMatchReplay()
})`,
      )
      .join('\n')
    project.write(
      'test/canaries.test.ts',
      `import { capture } from '@replaykit/vitest'
import { expect, test } from 'vitest'
import { failingTraffic, outcomeValue, providerTraffic, wireTraffic } from '../src/canary-traffic.js'

const wire = JSON.parse(process.env.CANARY_WIRE ?? '{}')
// A changed question in the diverging run: the divergence report prints the recorded values.
if (process.env.CHANGED) wire.canaries['request-body:openai-key'] = 'changed'
const traffic = {
  providers: () => providerTraffic(wire, false),
  'providers streaming': () => providerTraffic(wire, true),
  'plain http': () => wireTraffic(wire),
  'fetch error with URL credentials': () => failingTraffic(wire, 'credentials'),
  'error quoting a ?key= URL': () => failingTraffic(wire, 'query'),
  'provider 401 quoting the key': () => failingTraffic(wire, 'provider-401'),
  'returned secrets': async () => outcomeValue(wire),
}
${tests}
`,
    )
  })
  afterAll(() => project?.dispose())

  const vitest = (env: Record<string, string> = {}): Promise<RunResult> =>
    project.run(VITEST, ['run'], { CANARY_WIRE: JSON.stringify(wire), ...env })

  /** Every file the run left in the project (reports, .rpk, blobs), node_modules aside. */
  function projectFiles(dir = project.dir): string {
    const out: string[] = []
    for (const entry of readdirSync(dir)) {
      if (entry === 'node_modules') continue
      const path = join(dir, entry)
      if (statSync(path).isDirectory()) out.push(projectFiles(path))
      else if (!path.endsWith('canary-traffic.ts') && !path.endsWith('canaries.test.ts'))
        out.push(readFileSync(path, 'latin1'))
    }
    return out.join('\n')
  }

  test('recording run: terminal output and every file hold none', async () => {
    const result = await vitest()
    expect(result.code, result.output).toBe(0)
    expect(project.exists('test/__snapshots__/canaries.test.ts.rpk')).toBe(true)
    expect(searched('vitest record stdout+stderr', result.output)).toEqual([])
    expect(searched('project files after recording', projectFiles())).toEqual([])
  })

  test('a diverging CI run: the failure output and reports (summary and JSON) hold none', async () => {
    const result = await vitest({ CI: 'true', CHANGED: '1' })
    expect(result.code).toBe(1)
    expect(result.output).toContain('First divergence')
    expect(result.output).toMatch(/✗ diverged/)
    expect(searched('vitest diverging stdout+stderr', result.output)).toEqual([])
    const json = await vitest({ CI: 'true', CHANGED: '1', RPK_REPORT: 'json' })
    expect(json.code).toBe(1)
    expect(project.read('replaykit-report.json')).toContain('"diverged"')
    expect(searched('vitest diverging, json report: stdout+stderr', json.output)).toEqual([])
    expect(searched('project files after the diverging runs', projectFiles())).toEqual([])
  })

  test('replaykit inspect and diff print none', async () => {
    const rpk = 'test/__snapshots__/canaries.test.ts.rpk'
    // A second file whose prompts differ: `diff` prints the first divergence of every run with values.
    project.write('other.rpk', project.read(rpk).replaceAll('summarise', 'summarize'))
    const rehash = await project.run(CLI, ['rehash', 'other.rpk'])
    expect(rehash.code, rehash.output).toBe(0)
    const inspect = await project.run(CLI, ['inspect', rpk])
    expect(inspect.code, inspect.output).toBe(0)
    const json = await project.run(CLI, ['inspect', rpk, '--json'])
    const diff = await project.run(CLI, ['diff', rpk, 'other.rpk'])
    expect(diff.output).toContain('First divergence')
    expect(searched('replaykit inspect', inspect.output + json.output)).toEqual([])
    expect(searched('replaykit diff', diff.output)).toEqual([])
  })

  test('figures: every canary planted, none leaked', () => {
    const planted = Object.keys(canaries).length
    expect(planted).toBeGreaterThan(100)
    expect(leaks([...outputs.values()].join('\n'))).toEqual([])
    expect(refused).toBe(0)
  })
})
