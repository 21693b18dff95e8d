/**
 * A Vitest user installs only `@replaykit/vitest` (the docs' install line). When a recording
 * diverges in CI, the failure names a command; that exact command must run in the user's project.
 * `npx replaykit …` resolves to a local bin only when an installed package declares `replaykit`:
 * `@replaykit/vitest` depends on `@replaykit/cli`, whose bin npm links into node_modules/.bin
 * (npm links the bins of every package it places at the top of node_modules, dependencies of
 * dependencies included), so npx never looks up an unscoped `replaykit` package in the registry.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type FakeProvider, startFakeProvider } from '../utils/fake-provider.js'
import { OPENAI_AGENT } from './helpers/agents.js'
import { createProject, type TempProject } from './helpers/project.js'

let fake: FakeProvider
let project: TempProject

const VITEST = 'node_modules/vitest/vitest.mjs'

beforeAll(async () => {
  fake = await startFakeProvider()
  project = createProject({
    name: 'vitest-install',
    packageJson: { type: 'module', devDependencies: { vitest: '^5.1.1', '@replaykit/vitest': '0.1.0' } },
    // What `npm i -D @replaykit/vitest` puts in node_modules: the package and its dependencies.
    packages: ['@replaykit/core', '@replaykit/cli', '@replaykit/vitest'],
  })
  project.write('src/agent.ts', OPENAI_AGENT)
  project.write(
    'vitest.config.ts',
    `import replaykit from '@replaykit/vitest'
import { defineConfig } from 'vitest/config'
export default defineConfig({ plugins: [replaykit()] })
`,
  )
  project.write(
    'test/weather.test.ts',
    `import { capture } from '@replaykit/vitest'
import { expect, test } from 'vitest'
import { askAgent } from '../src/agent.js'

test('answers', async () => {
  const run = await capture(() => askAgent(process.env.QUESTION ?? 'What is the weather in Oslo?'))
  expect(run).toMatchReplay()
})
`,
  )
})

afterAll(async () => {
  project?.dispose()
  await fake?.close()
})

/** The bin `npx <name>` runs in the project: the one an installed top-level package declares. */
function localBin(name: string): string | undefined {
  const installed = JSON.parse(project.read('node_modules/@replaykit/vitest/package.json'))
  for (const dependency of Object.keys(installed.dependencies ?? {})) {
    const manifest = JSON.parse(readFileSync(join(project.dir, 'node_modules', dependency, 'package.json'), 'utf8'))
    const bin = typeof manifest.bin === 'string' ? { [manifest.name]: manifest.bin } : (manifest.bin ?? {})
    if (bin[name]) return join('node_modules', dependency, bin[name])
  }
  return undefined
}

test('the command a CI divergence prints runs in a project that installed only @replaykit/vitest', async () => {
  const env = { FAKE_URL: fake.url }
  const first = await project.run(VITEST, ['run'], env)
  expect(first.code, first.output).toBe(0)

  const drifted = { ...env, QUESTION: 'What is the weather in Bergen?' }
  const failed = await project.run(VITEST, ['run'], { ...drifted, CI: 'true' })
  expect(failed.code, failed.output).toBe(1)
  const printed = failed.output.match(/npx replaykit test --update-replays [^\s`]+/)?.[0]
  expect(printed, failed.output).toBe('npx replaykit test --update-replays test/weather.test.ts')

  const [, command, ...args] = (printed as string).split(' ')
  const bin = localBin(command as string)
  expect(bin, 'a dependency of @replaykit/vitest declares the replaykit bin').toBeDefined()
  const update = await project.run(bin as string, args, drifted)
  expect(update.code, update.output).toBe(0)

  const replay = await project.run(VITEST, ['run'], { ...drifted, CI: 'true' })
  expect(replay.code, replay.output).toBe(0)
}, 120_000)
