/**
 * Benchmark 5: a 200-test Vitest suite replaying from `.rpk` files vs the same
 * tests on hand-written MSW handlers, wall time of the real `vitest run`.
 *
 * The ReplayKit project records once against the live fake (a local run),
 * then replays with `CI=1` (strict: a missing recording would fail, nothing is
 * re-recorded). The MSW project answers with the bodies read from those
 * recordings. Runs alternate between the two; the fake must see no request
 * while they run.
 */
import { spawn } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readRpkFile, serializeSseEvent } from '@replaykit/core'
import { median, round } from '../lib/stats.mjs'
import { writeProjects } from '../lib/vitest-projects.mjs'

const REPO = fileURLToPath(new URL('../..', import.meta.url))
const VITEST = join(REPO, 'node_modules', 'vitest', 'vitest.mjs')
const SUITES = join(REPO, 'bench', 'results', 'vitest-suites')

/** @param {import('../run.mjs').BenchContext} ctx */
export async function run(ctx) {
  const shape = ctx.quick ? { files: 2, tests: 10 } : { files: 10, tests: 20 }
  const runs = ctx.quick ? 1 : 3
  const plugin = join(REPO, 'packages', 'vitest-plugin', 'dist', 'esm', 'index.js')
  if (!existsSync(plugin)) throw new Error('@replaykit/vitest is not built: run `npm run build -w @replaykit/vitest`')
  const projects = writeProjects(SUITES, shape)
  const env = { FAKE_URL: ctx.origin }

  const recorded = await vitest(projects.replaykit, env)
  if (recorded.code !== 0) throw new Error(`recording the ReplayKit suite failed:\n${recorded.output.slice(-3000)}`)
  writeBodies(projects)

  const hits = ctx.hits()
  // One untimed MSW run first: the recording run above already warmed Vite's transforms and the file cache for ReplayKit.
  await suite('msw', projects, env)
  const times = { replaykit: [], msw: [] }
  for (let i = 0; i < runs; i++) {
    for (const kind of i % 2 === 0 ? ['replaykit', 'msw'] : ['msw', 'replaykit']) {
      times[kind].push(await suite(kind, projects, env))
    }
  }
  if (ctx.hits() !== hits) throw new Error(`the replaying suites sent ${ctx.hits() - hits} requests to the live fake`)

  const rk = median(times.replaykit)
  const msw = median(times.msw)
  const ratio = rk / msw
  const tests = shape.files * shape.tests
  return [
    {
      id: '5-vitest',
      title: `5. ${tests}-test Vitest suite: replay from .rpk / plain MSW handlers (wall)`,
      value: round(ratio, 2),
      unit: 'x',
      target: '<= 1.10x',
      pass: ratio <= 1.1,
      note: `ReplayKit ${round(rk / 1000, 2)} s, MSW ${round(msw / 1000, 2)} s (median of ${runs}; ${shape.files} files)`,
      details: { shape, ms: times },
    },
  ]
}

/** One timed run of a suite, which must pass; ReplayKit's with `CI=1` (strict replay, never records). */
async function suite(kind, projects, env) {
  const result = await vitest(projects[kind], kind === 'replaykit' ? { ...env, CI: '1' } : env)
  if (result.code !== 0) throw new Error(`the ${kind} suite failed:\n${result.output.slice(-3000)}`)
  return result.ms
}

/** The recorded answers, by question, for the MSW handlers. */
function writeBodies(projects) {
  for (const name of projects.fileNames) {
    const rpk = readRpkFile(join(projects.replaykit, 'test', '__snapshots__', `suite-${name}.test.mjs.rpk`))
    if (!rpk) throw new Error(`the recording run wrote no .rpk for suite-${name}.test.mjs`)
    const bodies = {}
    for (const run of Object.values(rpk.runs)) {
      const request = run.steps.find((step) => step.kind === 'model.request')
      const response = run.steps.find((step) => step.kind === 'model.response')?.response
      const question = request.request.body.json.messages.at(-1).content
      const text = response.stream
        ? response.stream.events.map((event) => serializeSseEvent(event)).join('')
        : JSON.stringify(response.body.json)
      bodies[question] = { contentType: response.headers['content-type'], text }
    }
    writeFileSync(join(projects.msw, 'test', 'bodies', `suite-${name}.json`), JSON.stringify(bodies))
  }
}

/** `vitest run` in a project: exit code, output and wall time. */
function vitest(cwd, extraEnv) {
  // A clean environment: no settings of an outer Vitest (when the quick bench runs inside `npm test`) or of CI.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(VITEST|REPLAYKIT_|CI$|NODE_OPTIONS$|TINYPOOL)/.test(key)),
  )
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, [VITEST, 'run', '--reporter=dot'], {
      cwd,
      env: { ...env, NO_COLOR: '1', ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk) => {
      output += chunk
    })
    child.stderr.on('data', (chunk) => {
      output += chunk
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, output, ms: performance.now() - started }))
  })
}
