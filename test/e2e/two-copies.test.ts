/**
 * Two copies of core in one process, with the packed package as a user gets
 * it: the ESM and the CommonJS build (a runner loads one, the user's code the
 * other), and the same tarball installed twice under two folder names (two
 * versions side by side in node_modules). One copy captures first and so
 * installs the interception; every capture of the other copy must behave as
 * if it were alone: strict never reaches the network, every step is recorded
 * (a live request that got no answer too), every miss is reported.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type FakeProvider, startFakeProvider } from '../utils/fake-provider.js'
import { packPackage } from './helpers/packages.js'
import { createProject, type TempProject } from './helpers/project.js'

let project: TempProject
let fake: FakeProvider

beforeAll(async () => {
  fake = await startFakeProvider()
  project = createProject({
    name: 'two-copies',
    packageJson: { type: 'module', dependencies: { '@replaykit/core': '0.1.0' } },
    packages: ['@replaykit/core'],
  })
  // The same package once more, under another name: its own module instances, as a second version would be.
  const copy = join(project.dir, 'node_modules', 'replaykit-core-copy')
  mkdirSync(copy, { recursive: true })
  execFileSync('tar', ['-xzf', packPackage('@replaykit/core'), '-C', copy, '--strip-components=1'])
  project.write(
    'two-copies.mjs',
    `import { createRequire } from 'node:module'
const require = createRequire(import.meta.url)
const load = { esm: () => import('@replaykit/core/engine'), cjs: async () => require('@replaykit/core/engine'), copy: () => import('replaykit-core-copy/engine') }
const [firstName, secondName] = process.argv.slice(2)
const first = await load[firstName]()
const second = await load[secondName]()
const base = process.env.FAKE_URL
const get = async (path) => {
  try {
    return await (await fetch(base + path)).text()
  } catch (error) {
    return 'failed: ' + String(error?.cause?.code ?? error)
  }
}
const summary = (result) => ({
  steps: result.run.steps.map((step) => step.kind),
  problems: result.problems.map((problem) => problem.type + ' ' + (problem.url ?? '')),
  value: result.value,
})
// The first copy captures first: the interception is its own from now on.
const recorded = await first.runCapture(() => get('/weather?city=Oslo'), { mode: 'record' })
const out = { first: summary(recorded) }
out.record = summary(await second.runCapture(async () => [await get('/weather?city=Paris'), await get('/hang-up')], { mode: 'record' }))
out.strict = summary(await second.runCapture(async () => [await get('/weather?city=Oslo'), await get('/weather?city=Tokyo')], { mode: 'strict', recording: recorded.run }))
out.hybrid = summary(await second.runCapture(async () => [await get('/weather?city=Oslo'), await get('/weather?city=Tokyo'), await get('/hang-up')], { mode: 'hybrid', recording: recorded.run }))
console.log(JSON.stringify(out))
process.exit(0)
`,
  )
})

afterAll(async () => {
  project?.dispose()
  await fake?.close()
})

const PAIRS = [
  ['esm', 'cjs'],
  ['cjs', 'esm'],
  ['esm', 'copy'],
  ['copy', 'cjs'],
] as const

test.each(PAIRS)('a capture of the second copy (%s first, then %s) behaves as if it were alone', async (a, b) => {
  fake.reset()
  const result = await project.run('two-copies.mjs', [a, b], { FAKE_URL: fake.url })
  expect(result.code, result.output).toBe(0)
  const out = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}')
  const paths = fake.requests.map((request) => request.path)

  expect(out.first.steps).toEqual(['http.request', 'http.response'])
  // record: both requests live, the one the server hung up on recorded as an error step.
  expect(out.record.steps).toEqual(['http.request', 'http.response', 'http.request', 'error.event'])
  expect(out.record.value[1]).toMatch(/^failed: /)
  // strict: the recorded request replayed, the new one refused and reported; neither sent.
  expect(out.strict.steps).toEqual(['http.request', 'http.response', 'http.request', 'error.event'])
  expect(out.strict.problems).toEqual([`unmatched-request ${fake.url}/weather?city=Tokyo`])
  expect(out.strict.value[1]).toMatch(/^failed: /)
  // hybrid: the new requests went live and are reported; the hang-up is an error step.
  expect(out.hybrid.steps).toEqual([
    'http.request',
    'http.response',
    'http.request',
    'http.response',
    'http.request',
    'error.event',
  ])
  expect(out.hybrid.problems).toEqual([
    `live-request ${fake.url}/weather?city=Tokyo`,
    `live-request ${fake.url}/hang-up`,
  ])
  // What reached the network: the first record, the second copy's record, and hybrid's two misses. Strict: nothing.
  expect(paths).toEqual(['/weather?city=Oslo', '/weather?city=Paris', '/hang-up', '/weather?city=Tokyo', '/hang-up'])
})
