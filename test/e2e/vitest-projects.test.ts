/**
 * `test.projects`: the plugin in the root config with `extends: true`, or in each project's own
 * config. Either way every capture knows its test, records, and replays in CI, through the real
 * `vitest` binary and the packed packages.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type FakeProvider, startFakeProvider } from '../utils/fake-provider.js'
import { OPENAI_AGENT } from './helpers/agents.js'
import { createProject, type TempProject } from './helpers/project.js'

let fake: FakeProvider
let project: TempProject

const VITEST = 'node_modules/vitest/vitest.mjs'

const TEST_FILE = `import { capture } from '@replaykit/vitest'
import { expect, test } from 'vitest'
import { askAgent } from '../../src/agent.js'

test('answers', async () => {
  const run = await capture(() => askAgent('What is the weather in Oslo?'))
  expect(run).toMatchReplay()
})
`

beforeAll(async () => {
  fake = await startFakeProvider()
  project = createProject({
    name: 'vitest-projects',
    packageJson: { type: 'module', devDependencies: { vitest: '^5.1.1', '@replaykit/vitest': '0.1.0' } },
    packages: ['@replaykit/core', '@replaykit/cli', '@replaykit/vitest'],
  })
  project.write('src/agent.ts', OPENAI_AGENT)
  for (const name of ['a', 'b']) project.write(`${name}/test/agent.test.ts`, TEST_FILE)
})

afterAll(async () => {
  project?.dispose()
  await fake?.close()
})

const LAYOUTS = {
  'the plugin in the root config, projects with extends: true': `import replaykit from '@replaykit/vitest'
import { defineConfig } from 'vitest/config'
export default defineConfig({
  plugins: [replaykit()],
  test: {
    projects: [
      { extends: true, test: { name: 'a', include: ['a/test/**/*.test.ts'] } },
      { extends: true, test: { name: 'b', include: ['b/test/**/*.test.ts'] } },
    ],
  },
})
`,
  'the plugin in each project': `import replaykit from '@replaykit/vitest'
import { defineConfig } from 'vitest/config'
export default defineConfig({
  test: {
    projects: [
      { plugins: [replaykit()], test: { name: 'a', include: ['a/test/**/*.test.ts'] } },
      { plugins: [replaykit()], test: { name: 'b', include: ['b/test/**/*.test.ts'] } },
    ],
  },
})
`,
}

test.each(Object.entries(LAYOUTS))(
  '%s: captures record, then replay in CI',
  async (_layout, config) => {
    project.write('vitest.config.ts', config)
    for (const name of ['a', 'b']) project.remove(`${name}/test/__snapshots__`)
    const env = { FAKE_URL: fake.url }
    const first = await project.run(VITEST, ['run'], env)
    expect(first.code, first.output).toBe(0)
    expect(first.output).not.toContain('outside a test')
    for (const name of ['a', 'b']) expect(project.exists(`${name}/test/__snapshots__/agent.test.ts.rpk`)).toBe(true)
    const replay = await project.run(VITEST, ['run'], { ...env, CI: 'true' })
    expect(replay.code, replay.output).toBe(0)
  },
  120_000,
)
