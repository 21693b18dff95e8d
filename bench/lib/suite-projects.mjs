/**
 * The generated test projects of the suite benchmarks (5: Vitest, 9: Jest):
 * the same tests in every variant, each variant in a folder of its own. The
 * folders live under bench/results/ (git-ignored) so that `openai`, `msw`,
 * `vitest`, `jest` and aimock resolve from the repository's node_modules, as
 * in a user's project; ReplayKit's variants get an installed copy of the
 * built packages (see installPackages).
 *
 * Variants: `replaykit` (capture + toMatchReplay, strict replay from `.rpk`),
 * `msw` (a hand-written `msw/node` handler answering the recorded bodies;
 * Vitest only: MSW 3 is ESM-only and Jest's sandbox cannot load it without
 * `--experimental-vm-modules`), `aimock` (an LLMock per test file, started in
 * `beforeAll` with one fixture per question), `polly` (Vitest only: Polly.js per
 * test with its fetch adapter, replaying the HAR recordings it made in a
 * recording run) and `live` (no interception, the SDK talking to the bench's
 * local fake over loopback).
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const PACKAGES = fileURLToPath(new URL('../../packages/', import.meta.url))

/** Every fourth test streams its answer. */
export const testsOf = (file, tests) =>
  Array.from({ length: tests }, (_, t) => ({
    question: `question ${file}-${t}: weather in city ${t}?`,
    stream: t % 4 === 3,
  }))

const agent = (esm, lateFetch = false) => `${esm ? "import OpenAI from 'openai'" : "const OpenAI = require('openai')"}

let client

/** One chat completion, buffered or streamed: the code under test. */
${esm ? 'export ' : ''}async function ask(question, stream) {
  // Made on first use, after MSW's \`server.listen()\` has patched fetch (the SDK keeps the fetch it is given)
  // and after aimock's beforeAll has set FAKE_URL.
  client ??= new OpenAI({
    apiKey: 'sk-bench-not-a-key',
    baseURL: \`\${process.env.FAKE_URL}/v1\`,
    maxRetries: 0,${lateFetch ? '\n    // Polly replaces globalThis.fetch per test, after the client exists: look it up on every request.\n    fetch: (url, init) => globalThis.fetch(url, init),' : ''}
  })
  const messages = [
    { role: 'system', content: 'You are a terse weather assistant.' },
    { role: 'user', content: question },
  ]
  if (!stream) {
    const completion = await client.chat.completions.create({ model: 'gpt-fake', messages })
    return completion.choices[0].message.content
  }
  const chunks = await client.chat.completions.create({ model: 'gpt-fake', messages, stream: true })
  let text = ''
  for await (const chunk of chunks) text += chunk.choices[0]?.delta?.content ?? ''
  return text
}
${esm ? '' : 'module.exports = { ask }\n'}`

/** What a test file of each variant imports and sets up, and what one test body does. */
const VARIANTS = {
  replaykit: {
    vitest: "import { capture } from '@replaykit/vitest'",
    jest: "const { capture } = require('@replaykit/jest')",
    setup: '',
    body: `const run = await capture(() => ask(question, stream))
      expect(run).toMatchReplay()
      expect(run.value).toContain('42')`,
  },
  msw: {
    vitest: "import { HttpResponse, http } from 'msw'\nimport { setupServer } from 'msw/node'",
    setup: `const encoder = new TextEncoder()
const server = setupServer(
  http.post('*/chat/completions', async ({ request }) => {
    const body = await request.json()
    const answer = bodies[body.messages.at(-1).content]
    if (!body.stream) return HttpResponse.json(JSON.parse(answer.text))
    const events = answer.text.split(/(?<=\\n\\n)/)
    const stream = new ReadableStream({
      start(controller) {
        for (const event of events) controller.enqueue(encoder.encode(event))
        controller.close()
      },
    })
    return new HttpResponse(stream, { headers: { 'content-type': answer.contentType } })
  }),
)
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }))
afterAll(() => server.close())
`,
    body: plainBody(),
  },
  aimock: {
    vitest: "import { LLMock } from '@copilotkit/aimock'",
    jest: "const { LLMock } = require('@copilotkit/aimock')",
    setup: `const mock = new LLMock({ port: 0, logLevel: 'silent' })
for (const [question, body] of Object.entries(bodies)) mock.onMessage(question, { content: body.answer })
beforeAll(async () => {
  await mock.start()
  process.env.FAKE_URL = mock.url
})
afterAll(() => mock.stop())
`,
    body: plainBody(),
  },
  polly: {
    vitest:
      "import FetchAdapter from '@pollyjs/adapter-fetch'\nimport { Polly } from '@pollyjs/core'\nimport FSPersister from '@pollyjs/persister-fs'\nimport { afterEach, beforeEach } from 'vitest'",
    setup: `Polly.register(FetchAdapter)
Polly.register(FSPersister)
let polly
// One Polly per test, as its docs set it up; POLLY_MODE=record for the recording run.
beforeEach((context) => {
  polly = new Polly(context.task.name, {
    adapters: ['fetch'],
    adapterOptions: { fetch: { context: globalThis } },
    persister: 'fs',
    persisterOptions: { fs: { recordingsDir: new URL('./__recordings__', import.meta.url).pathname } },
    mode: process.env.POLLY_MODE ?? 'replay',
    recordIfMissing: false,
    matchRequestsBy: { headers: false, order: false },
    logLevel: 'silent',
  })
})
afterEach(() => polly.stop())
`,
    body: plainBody(),
  },
  live: { vitest: '', jest: '', setup: '', body: plainBody() },
}

function plainBody() {
  return `const value = await ask(question, stream)
      expect(value).toContain('42')`
}

function testFile(runner, kind, file, tests) {
  const variant = VARIANTS[kind]
  const esm = runner === 'vitest'
  const needsBodies = kind === 'msw' || kind === 'aimock'
  const head = esm
    ? [
        needsBodies ? "import { readFileSync } from 'node:fs'" : '',
        variant.vitest,
        "import { afterAll, beforeAll, describe, expect, test } from 'vitest'",
        "import { ask } from '../src/agent.mjs'",
      ]
    : [
        needsBodies ? "const { readFileSync } = require('node:fs')" : '',
        variant.jest,
        "const { ask } = require('../src/agent.js')",
      ]
  const bodies = needsBodies
    ? esm
      ? `const bodies = JSON.parse(readFileSync(new URL('./bodies/suite-${file}.json', import.meta.url), 'utf8'))\n`
      : `const bodies = JSON.parse(readFileSync(\`\${__dirname}/bodies/suite-${file}.json\`, 'utf8'))\n`
    : ''
  return `${head.filter(Boolean).join('\n')}

${bodies}${variant.setup}
const cases = ${JSON.stringify(testsOf(file, tests))}

describe('suite ${file}', () => {
  for (const { question, stream } of cases) {
    test(question, async () => {
      ${variant.body}
    })
  }
})
`
}

// @note The transform cache (fsModuleCache) lives in the project, not in the repository's node_modules,
// which every Vitest run of the repository shares: its entries are keyed by file path and content, not
// by how imports resolved, so a test file cached when @replaykit/vitest resolved elsewhere would keep
// importing that other copy. Every project starts cold and is warmed by an untimed run.
const vitestConfig = (plugin) =>
  `${plugin ? "import replaykit from '@replaykit/vitest'\n" : ''}import { defineConfig } from 'vitest/config'

export default defineConfig({
  ${plugin ? 'plugins: [replaykit()],\n  ' : ''}cacheDir: '.vite-cache',
  test: { include: ['test/**/*.test.mjs'], fsModuleCachePath: '.vite-cache/modules' },
})
`

const jestConfig = (preset) =>
  `module.exports = { ${preset ? "preset: '@replaykit/jest', " : "testEnvironment: 'node', "}testMatch: ['**/test/**/*.test.js'], cacheDirectory: '.jest-cache' }\n`

/**
 * Write one variant's project at `dir` (replacing what was there).
 *
 * @param {'vitest' | 'jest'} runner
 * @param {keyof typeof VARIANTS} kind
 * @param {{ files: number, tests: number }} shape
 * @returns {string[]} the test files' names (`01`, `02`, …)
 */
export function writeProject(dir, runner, kind, { files, tests }) {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 })
  const fileNames = Array.from({ length: files }, (_, i) => String(i + 1).padStart(2, '0'))
  const esm = runner === 'vitest'
  mkdirSync(join(dir, 'src'), { recursive: true })
  mkdirSync(join(dir, 'test', 'bodies'), { recursive: true })
  const manifest = { name: `bench-${runner}-${kind}`, private: true, ...(esm ? { type: 'module' } : {}) }
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest)}\n`)
  if (esm) writeFileSync(join(dir, 'vitest.config.mjs'), vitestConfig(kind === 'replaykit'))
  else writeFileSync(join(dir, 'jest.config.js'), jestConfig(kind === 'replaykit'))
  writeFileSync(join(dir, 'src', esm ? 'agent.mjs' : 'agent.js'), agent(esm, kind === 'polly'))
  for (const name of fileNames) {
    writeFileSync(join(dir, 'test', `suite-${name}.test.${esm ? 'mjs' : 'js'}`), testFile(runner, kind, name, tests))
  }
  if (kind === 'replaykit') installPackages(dir, esm ? ['core', 'vitest-plugin'] : ['core', 'cli', 'jest-preset'])
  return fileNames
}

/**
 * Put built workspace packages into a project's node_modules as `npm install`
 * leaves a published one: a real folder holding package.json and the files it
 * publishes. Their own dependencies still resolve from the repository.
 *
 * @note Not the workspace symlinks: those resolve to packages/*, outside any
 * node_modules, so Vitest inlines ReplayKit instead of leaving it to Node: Vite
 * transforms every file of its dist and each test worker evaluates them through
 * Vitest's module runner, a cost no installed copy pays. A copy also keeps the
 * timed runs on one build while the packages are rebuilt.
 */
function installPackages(project, folders) {
  for (const folder of folders) {
    const from = join(PACKAGES, folder)
    const manifest = JSON.parse(readFileSync(join(from, 'package.json'), 'utf8'))
    const to = join(project, 'node_modules', ...manifest.name.split('/'))
    for (const entry of ['package.json', ...manifest.files])
      cpSync(join(from, entry), join(to, entry), { recursive: true })
  }
}
