/**
 * The entry points of @replaykit/core as a user installs them (packed tarballs
 * in a project outside the workspace): the root has no side effects and does
 * not load MSW, each subpath resolves from ESM and CommonJS, and
 * `replaykit --version` loads neither core nor the engine (issue 11). What the
 * root leaves for first use (the schema validator, json-diff-ts, picocolors,
 * semver, node:crypto) is not loaded by the import and works when used.
 * Speed itself is measured by `npm run bench` (startup- rows), never here.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createProject, type TempProject } from './helpers/project.js'

let project: TempProject
beforeAll(() => {
  project = createProject({
    name: 'entry-points',
    packageJson: { type: 'module' },
    packages: ['@replaykit/core', '@replaykit/cli'],
  })
  // Records every module Node resolves (ESM and require alike) and prints the list at exit.
  project.write(
    'trace.mjs',
    `import { registerHooks } from 'node:module'
import { writeFileSync } from 'node:fs'
const seen = []
registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); seen.push(r.url); return r } })
process.on('exit', () => writeFileSync(process.env.TRACE_OUT, JSON.stringify(seen)))
`,
  )
  project.write(
    'load-esm.mjs',
    `const entry = process.argv[2]
const mod = await import(entry)
console.log(JSON.stringify(Object.keys(mod).sort()))
`,
  )
  // Node's own modules an import of the root loads (before: node:crypto's and node:fs/promises' ~50).
  project.write(
    'internals-esm.mjs',
    `const before = new Set(process.moduleLoadList)
await import('@replaykit/core')
console.log(JSON.stringify(process.moduleLoadList.filter((name) => !before.has(name))))
`,
  )
  project.write(
    'internals-cjs.cjs',
    `const before = new Set(process.moduleLoadList)
require('@replaykit/core')
console.log(JSON.stringify(process.moduleLoadList.filter((name) => !before.has(name))))
`,
  )
  // Each thing the root loads on first use, used once: the validator, a field diff, colours, a
  // write (hash, temp file name) and a read of a newer schema version (semver).
  const useLazyParts = `const run = (answer) => ({
  name: 'asks', index: 1, outcome: { type: 'return', value: answer },
  steps: [
    { kind: 'model.request', seq: 0, correlationId: 'c1', provider: 'openai', endpoint: 'chat.completions', stream: false,
      request: { method: 'POST', url: 'http://127.0.0.1:9/v1/chat/completions', headers: {}, body: { json: { q: 'hi' } } } },
    { kind: 'model.response', seq: 1, correlationId: 'c1', provider: 'openai', text: answer,
      response: { status: 200, headers: {}, body: { json: { answer } } } },
  ],
})
const violation = core.validateRpk({ schemaVersion: '1.1.0' })
const comparison = core.compareRuns(run('yes'), run('no'))
const colored = core.formatDivergence(comparison, { color: true }).includes('\\u001b[')
const file = process.argv[2]
core.writeRpkFile(file, { runs: { 'asks 1': run('yes') }, source: 'asks.test.ts' })
const read = Object.keys(core.readRpkFile(file).runs)
let future
try { core.parseRpk(JSON.stringify({ schemaVersion: '9.0.0', contentHash: 'x', meta: {}, runs: {} })) } catch (error) { future = error.code }
console.log(JSON.stringify({ violation, changes: comparison.first.changes.length, colored, read, future }))
`
  project.write('lazy-esm.mjs', `const core = await import('@replaykit/core')\n${useLazyParts}`)
  // A test worker's read of a recording this ReplayKit wrote (schema MAJOR.MINOR.PATCH), and what it found.
  project.write(
    'read-rpk.mjs',
    `const core = await import('@replaykit/core')
if (process.argv[3] === 'write') core.writeRpkFile(process.argv[2], { runs: { 'asks 1': { name: 'asks', index: 1, outcome: { type: 'return', value: 1 }, steps: [] } }, source: 'asks.test.ts' })
else console.log(JSON.stringify(Object.keys(core.readRpkFile(process.argv[2]).runs)))
`,
  )
  project.write('lazy-cjs.cjs', `const core = require('@replaykit/core')\n${useLazyParts}`)
  project.write(
    'load-cjs.cjs',
    `const mod = require(process.argv[2])
console.log(JSON.stringify(Object.keys(mod).sort()))
`,
  )
})
afterAll(() => project?.dispose())

/** The modules a script loaded, as file URLs. */
async function traced(script: string, args: string[]): Promise<{ loaded: string[]; stdout: string }> {
  const out = `${project.dir}/trace-${Math.random().toString(36).slice(2)}.json`
  const result = await project.run(script, args, { NODE_OPTIONS: '--import=./trace.mjs', TRACE_OUT: out })
  expect(result.code, result.output).toBe(0)
  return { loaded: JSON.parse(project.read(out.slice(project.dir.length + 1))) as string[], stdout: result.stdout }
}

const MSW = /\/node_modules\/(msw|@mswjs)\//

/**
 * The source modules of @replaykit/core that the loaded files hold (`src/engine/types.ts`, …).
 * The build bundles them (scripts/build-package.mjs), so a file's name does not say what it holds;
 * rolldown marks each module's code with a `// src/…` comment, which says it.
 */
function coreSources(loaded: string[]): string[] {
  const files = loaded.filter((url) => url.includes('/@replaykit/core/dist/') && url.endsWith('.js'))
  const sources = files.flatMap((url) => readFileSync(fileURLToPath(url), 'utf8').match(/^\/\/ src\/\S+$/gm) ?? [])
  return [...new Set(sources.map((marker) => marker.slice(3)))].sort()
}

describe('the root entry', () => {
  test.each(['load-esm.mjs', 'load-cjs.cjs'])('%s: loads no msw and no engine code', async (script) => {
    const { loaded, stdout } = await traced(script, ['@replaykit/core'])
    expect(loaded.some((url) => /\/@replaykit\/core\/dist\/(esm|cjs)\/index\.js$/.test(url))).toBe(true)
    expect(loaded.filter((url) => MSW.test(url))).toEqual([])
    // engine/types.ts holds MODES and no code of the engine; nothing else of engine/ or determinism/ loads.
    const sources = coreSources(loaded)
    expect(sources).toContain('src/artifact/read.ts')
    expect(sources.filter((source) => /^src\/(engine\/(?!types\.ts)|determinism\/)/.test(source))).toEqual([])
    const names = JSON.parse(stdout) as string[]
    for (const name of ['parseRpk', 'compareRuns', 'timelineRow', 'pairRuns', 'ReplayKitError', 'MODES']) {
      expect(names).toContain(name)
    }
    for (const name of ['runCapture', 'blockNetwork', 'assertReplay']) expect(names).not.toContain(name)
  })
})

describe('what the root loads on first use', () => {
  test.each(['load-esm.mjs', 'load-cjs.cjs'])('%s: the import loads none of it', async (script) => {
    const { loaded } = await traced(script, ['@replaykit/core'])
    expect(loaded.filter((url) => /\/node_modules\/(json-diff-ts|picocolors|semver)\//.test(url))).toEqual([])
    expect(loaded.filter((url) => url.includes('v1-validate'))).toEqual([])
    expect(coreSources(loaded).filter((source) => source.includes('v1-validate'))).toEqual([])
  })

  test.each(['internals-esm.mjs', 'internals-cjs.cjs'])(
    '%s: nor node:crypto, fs/promises or streams',
    async (script) => {
      const result = await project.run(script, [])
      expect(result.code, result.output).toBe(0)
      const internals = JSON.parse(result.stdout) as string[]
      expect(internals.filter((name) => /crypto|fs\/promises|stream|readline/.test(name))).toEqual([])
    },
  )

  test('works when used, from ESM and CommonJS alike', async () => {
    const outputs: unknown[] = []
    for (const script of ['lazy-esm.mjs', 'lazy-cjs.cjs']) {
      const result = await project.run(script, [`${project.dir}/${script}.rpk`])
      expect(result.code, result.output).toBe(0)
      outputs.push(JSON.parse(result.stdout))
    }
    expect(outputs[0]).toEqual({
      violation: { path: '$.contentHash', message: 'is required but missing' },
      changes: expect.any(Number),
      colored: true,
      read: ['asks 1'],
      future: 'RPK_FUTURE_VERSION',
    })
    expect((outputs[0] as { changes: number }).changes).toBeGreaterThan(0)
    expect(outputs[1]).toEqual(outputs[0])
  })
})

describe("a test worker's entries", () => {
  // What the Vitest setup file and the Jest environment import: MSW and json-diff-ts load when first
  // needed (a connection, a record capture, a diff), not at import (issue 12, benchmark 8).
  test.each(['load-esm.mjs', 'load-cjs.cjs'])(
    '%s: the engine, node and runner entries load no msw and no json-diff-ts',
    async (script) => {
      for (const entry of ['@replaykit/core/engine', '@replaykit/core/node', '@replaykit/core/runner']) {
        const { loaded } = await traced(script, [entry])
        expect(
          loaded.filter((url) => MSW.test(url) || url.includes('/node_modules/json-diff-ts/')),
          entry,
        ).toEqual([])
      }
    },
  )
})

test("a test worker's read of a recording this ReplayKit wrote loads no semver", async () => {
  // Its version is a plain MAJOR.MINOR.PATCH (lazy-deps.ts, plain-version.ts): semver's ten CommonJS files
  // were about a sixth of a worker's first .rpk read (benchmark 8). Other versions still go to semver (above).
  const file = `${project.dir}/written.rpk`
  const written = await project.run('read-rpk.mjs', [file, 'write'])
  expect(written.code, written.output).toBe(0)
  const { loaded, stdout } = await traced('read-rpk.mjs', [file])
  expect(JSON.parse(stdout)).toEqual(['asks 1'])
  expect(loaded.filter((url) => url.includes('/node_modules/semver/'))).toEqual([])
})

describe('each subpath resolves from ESM and CommonJS', () => {
  const cases: Array<[string, string[]]> = [
    ['@replaykit/core/engine', ['runCapture', 'startCaptureSession', 'installDeterminism']],
    ['@replaykit/core/node', ['blockNetwork', 'BLOCK_ENV']],
    ['@replaykit/core/gateway', ['startGateway', 'gatewayEnv']],
    ['@replaykit/core/runner', ['emitReport', 'assertReplay', 'finishReplayFile']],
    ['@replaykit/core/errors', ['ReplayKitError', 'isReplayKitError']],
  ]
  test.each(cases)('%s', async (entry, expected) => {
    for (const script of ['load-esm.mjs', 'load-cjs.cjs']) {
      const result = await project.run(script, [entry])
      expect(result.code, result.output).toBe(0)
      const names = JSON.parse(result.stdout) as string[]
      for (const name of expected) expect(names, `${script} ${entry}`).toContain(name)
    }
  })
})

test('replaykit --version loads neither core nor msw', async () => {
  const { loaded, stdout } = await traced('node_modules/@replaykit/cli/bin/replaykit.js', ['--version'])
  expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
  expect(loaded.some((url) => url.endsWith('/@replaykit/cli/dist/esm/main.js'))).toBe(true)
  expect(loaded.filter((url) => MSW.test(url))).toEqual([])
  // Nothing of core: its error family loads only when a bad command line is reported (packages/cli/src/argument-error.ts).
  expect(coreSources(loaded)).toEqual([])
})
