/**
 * The suite benchmarks (5: Vitest, 9: Jest): what a user's whole suite pays.
 * For each size, every variant gets its own project (lib/suite-projects.mjs);
 * ReplayKit's records once against the live fake (a local run), then every
 * variant runs untimed once (Vite's and Jest's transform caches, the file
 * cache), then the timed runs take turns in a rotating order. ReplayKit
 * replays with `CI=1` (strict: nothing is re-recorded). Both the wall time of
 * the runner's process and the runner's own reported duration are kept.
 */
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readRpkFile, serializeSseEvent } from '@replaykit/core'
import { median, round } from './stats.mjs'
import { writeProject } from './suite-projects.mjs'

const REPO = fileURLToPath(new URL('../..', import.meta.url))
const SUITES = join(REPO, 'bench', 'results', 'suites')
const BIN = {
  vitest: { file: join(REPO, 'node_modules', 'vitest', 'vitest.mjs'), args: ['run', '--reporter=dot'] },
  jest: { file: join(REPO, 'node_modules', 'jest', 'bin', 'jest.js'), args: [] },
}
/** The runner's own total: Vitest's `Duration  6.87s`, Jest's `Time:        5.123 s`. */
const DURATION = { vitest: /Duration\s+([\d.]+)\s*(ms|s)\b/, jest: /Time:\s+([\d.]+)\s*(ms|s)\b/ }
const KINDS = { vitest: ['replaykit', 'msw', 'aimock', 'polly', 'live'], jest: ['replaykit', 'aimock', 'live'] }
/** The targets of issue 12, ReplayKit's wall time over each contender's. */
const TARGETS = {
  msw: { title: 'hand-written MSW handler', target: '<= 1.05x', pass: (r) => r <= 1.05 },
  aimock: { title: 'aimock', target: '<= 1x', pass: (r) => r <= 1 },
  polly: { title: 'Polly', target: '—', pass: () => undefined },
  live: { title: 'live loopback call', target: '< 1x', pass: (r) => r < 1 },
}

/**
 * @param {import('../run.mjs').BenchContext} ctx
 * @param {'vitest' | 'jest'} runner
 * @param {number} n the benchmark's number, the rows' id prefix
 */
export async function runSuiteBench(ctx, runner, n) {
  // Quick mode keeps both rows' ids with tiny suites, and skips the untimed warm-up runs.
  const all = ctx.quick
    ? [
        { label: '100', files: 1, tests: 4 },
        { label: '1000', files: 1, tests: 8 },
      ]
    : [
        { label: '100', files: 4, tests: 25 },
        { label: '1000', files: 40, tests: 25 },
      ]
  // BENCH_SUITE_SIZES=100 runs the 100-test suites only (a 1,000-test variant takes about a minute a run on 2 cores).
  const only = process.env.BENCH_SUITE_SIZES?.split(',')
  const sizes = all.filter((size) => !only || only.includes(size.label))
  const rounds = ctx.quick ? 1 : 3
  const kinds = KINDS[runner]
  const rows = []
  for (const size of sizes) {
    const dirs = Object.fromEntries(kinds.map((kind) => [kind, join(SUITES, `${runner}-${size.label}-${kind}`)]))
    let fileNames = []
    for (const kind of kinds) fileNames = writeProject(dirs[kind], runner, kind, size)
    const recorded = await runSuite(runner, dirs.replaykit, { FAKE_URL: ctx.origin })
    if (recorded.code !== 0)
      throw new Error(`recording the ReplayKit ${runner} suite failed:\n${recorded.output.slice(-3000)}`)
    if (dirs.polly) {
      const polly = await runSuite(runner, dirs.polly, { FAKE_URL: ctx.origin, POLLY_MODE: 'record' })
      if (polly.code !== 0) throw new Error(`recording the Polly ${runner} suite failed:\n${polly.output.slice(-3000)}`)
    }
    const bodies = bodiesOf(dirs.replaykit, runner, fileNames)
    for (const kind of ['msw', 'aimock']) {
      if (!dirs[kind]) continue
      for (const [name, byQuestion] of Object.entries(bodies))
        writeFileSync(join(dirs[kind], 'test', 'bodies', `suite-${name}.json`), JSON.stringify(byQuestion))
    }
    const timed = Object.fromEntries(kinds.map((kind) => [kind, { wall: [], own: [] }]))
    const once = async (kind) => {
      const hits = ctx.hits()
      const env = kind === 'replaykit' ? { FAKE_URL: ctx.origin, CI: '1' } : { FAKE_URL: ctx.origin }
      const result = await runSuite(runner, dirs[kind], env)
      if (result.code !== 0) throw new Error(`the ${kind} ${runner} suite failed:\n${result.output.slice(-3000)}`)
      if (kind !== 'live' && ctx.hits() !== hits)
        throw new Error(`the ${kind} ${runner} suite sent ${ctx.hits() - hits} requests to the live fake`)
      return result
    }
    if (!ctx.quick) for (const kind of kinds) await once(kind)
    for (let i = 0; i < rounds; i++) {
      for (const kind of [...kinds.slice(i % kinds.length), ...kinds.slice(0, i % kinds.length)]) {
        const result = await once(kind)
        timed[kind].wall.push(result.ms)
        timed[kind].own.push(result.ownMs)
      }
    }
    const wall = Object.fromEntries(kinds.map((kind) => [kind, median(timed[kind].wall)]))
    const own = Object.fromEntries(kinds.map((kind) => [kind, median(timed[kind].own)]))
    const seconds = (ms) => round(ms / 1000, 2)
    const tests = size.files * size.tests
    const note = `wall s: ${kinds.map((kind) => `${kind} ${seconds(wall[kind])}`).join(', ')}; ${runner}'s own s: ${kinds
      .map((kind) => `${kind} ${seconds(own[kind])}`)
      .join(', ')} (median of ${rounds}; ${size.files} files x ${size.tests})`
    for (const other of kinds.slice(1)) {
      const ratio = wall.replaykit / wall[other]
      const { title, target, pass } = TARGETS[other]
      rows.push({
        id: `${n}-${runner}-${size.label}-${other}`,
        title: `${n}. ${tests}-test ${runner === 'vitest' ? 'Vitest' : 'Jest'} suite: replay from .rpk / ${title} (wall)`,
        value: round(ratio, 2),
        unit: 'x',
        target,
        ...(pass(ratio) === undefined ? {} : { pass: pass(ratio) }),
        ...(other === kinds[1] ? { note } : {}),
        details: { size, ownRatio: round(own.replaykit / own[other], 2), ms: timed },
      })
    }
  }
  return rows
}

/** The recorded answers of the ReplayKit project, by test file and question: for MSW's handler and aimock's fixtures. */
function bodiesOf(project, runner, fileNames) {
  const out = {}
  for (const name of fileNames) {
    const file = join(project, 'test', '__snapshots__', `suite-${name}.test.${runner === 'vitest' ? 'mjs' : 'js'}.rpk`)
    const rpk = readRpkFile(file)
    if (!rpk) throw new Error(`the recording run wrote no ${file}`)
    const bodies = {}
    for (const run of Object.values(rpk.runs)) {
      const request = run.steps.find((step) => step.kind === 'model.request')
      const response = run.steps.find((step) => step.kind === 'model.response')?.response
      const question = request.request.body.json.messages.at(-1).content
      if (response.stream) {
        const text = response.stream.events.map((event) => serializeSseEvent(event)).join('')
        bodies[question] = { contentType: response.headers['content-type'], text, answer: answerOfStream(response) }
      } else {
        const text = JSON.stringify(response.body.json)
        bodies[question] = {
          contentType: response.headers['content-type'],
          text,
          answer: response.body.json.choices[0].message.content,
        }
      }
    }
    out[name] = bodies
  }
  return out
}

/** The text a streamed answer adds up to (aimock's fixture makes its own chunks of it). */
function answerOfStream(response) {
  return response.stream.events.map((event) => event.json?.choices?.[0]?.delta?.content ?? '').join('')
}

/** One run of a suite: exit code, output, wall time and the runner's own duration. */
function runSuite(runner, cwd, extraEnv) {
  // A clean environment: no settings of an outer Vitest (when the quick bench runs inside `npm test`) or of CI.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(VITEST|REPLAYKIT_|JEST_|CI$|NODE_OPTIONS$|TINYPOOL)/.test(key)),
  )
  const { file, args } = BIN[runner]
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, [file, ...args], {
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
    child.on('close', (code) => {
      const ms = performance.now() - started
      const found = DURATION[runner].exec(output)
      const ownMs = found ? Number(found[1]) * (found[2] === 's' ? 1000 : 1) : Number.NaN
      resolve({ code, output, ms, ownMs })
    })
  })
}
