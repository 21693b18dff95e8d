/**
 * What the runners' reports say, through the real binaries (issue 10).
 *
 * Item 4: a change deep in a long system prompt is shown in the test's failure.
 * Item 8: a retried test's failed attempt does not count. Vitest's
 * `retry` and Jest's `jest.retryTimes` re-run a test whose first attempt
 * diverged; only the final attempt is in the summary and the JSON report. The
 * real vitest and jest binaries, the packed packages, the fake provider over loopback.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { readReportFile } from '../../packages/core/src/replay-report/io.js'
import { type FakeProvider, startFakeProvider } from '../utils/fake-provider.js'
import { ANTHROPIC_AGENT, OPENAI_AGENT } from './helpers/agents.js'
import { createProject, type TempProject } from './helpers/project.js'

let fake: FakeProvider
let project: TempProject
let jestProject: TempProject
const VITEST = 'node_modules/vitest/vitest.mjs'
const JEST = 'node_modules/jest/bin/jest.js'

beforeAll(async () => {
  fake = await startFakeProvider()
  project = createProject({
    name: 'vitest-retry',
    packageJson: { type: 'module', devDependencies: { vitest: '^5.1.1', '@replaykit/vitest': '0.1.0' } },
    packages: ['@replaykit/core', '@replaykit/vitest'],
  })
  project.write('src/agent.ts', OPENAI_AGENT)
  project.write(
    'vitest.config.ts',
    `import replaykit from '@replaykit/vitest'
import { defineConfig } from 'vitest/config'
export default defineConfig({ plugins: [replaykit({ report: 'json', reportFile: 'reports/replays.json' })] })
`,
  )
  // The first attempt asks another question when FLAKY is set: it diverges; the retry matches.
  project.write(
    'test/flaky.test.ts',
    `import { capture } from '@replaykit/vitest'
import { expect, test } from 'vitest'
import { askAgent } from '../src/agent.js'

let attempt = 0
test('answers after a retry', { retry: 1 }, async () => {
  attempt++
  const city = process.env.FLAKY && attempt === 1 ? 'Bergen' : 'Oslo'
  const run = await capture(() => askAgent(\`What is the weather in \${city}?\`))
  expect(run).toMatchReplay()
})
`,
  )
  jestProject = createProject({
    name: 'jest-retry',
    packageJson: { devDependencies: { jest: '^30.5.2', '@replaykit/jest': '0.1.0' } },
    packages: ['@replaykit/core', '@replaykit/jest'],
  })
  jestProject.write('src/agent.js', ANTHROPIC_AGENT)
  jestProject.write(
    'jest.config.js',
    `module.exports = {
  preset: '@replaykit/jest',
  reporters: ['default', ['@replaykit/jest/reporter', { report: 'json', reportFile: 'reports/replays.json' }]],
}
`,
  )
  jestProject.write(
    'test/flaky.test.js',
    `const { capture } = require('@replaykit/jest')
const { askAgent } = require('../src/agent.js')

jest.retryTimes(1)
let attempt = 0
test('answers after a retry', async () => {
  attempt++
  const city = process.env.FLAKY && attempt === 1 ? 'Bergen' : 'Oslo'
  const run = await capture(() => askAgent(\`What is the weather in \${city}?\`))
  expect(run).toMatchReplay()
})
`,
  )
})

afterAll(async () => {
  project?.dispose()
  jestProject?.dispose()
  await fake?.close()
})

test('vitest retry: the diverged first attempt is not counted, the passing retry is', async () => {
  const env = { FAKE_URL: fake.url }
  const record = await project.run(VITEST, ['run'], env)
  expect(record.code, record.output).toBe(0)
  const replay = await project.run(VITEST, ['run'], { ...env, CI: 'true', FLAKY: '1' })
  expect(replay.code, replay.output).toBe(0)
  const report = readReportFile(join(project.dir, 'reports/replays.json'))
  expect(report.totals).toMatchObject({ assertions: 1, replayed: 1, diverged: 0 })
  expect(report.runs.map((r) => [r.key, r.status])).toEqual([['answers after a retry 1', 'replayed']])
})

test('jest.retryTimes: the diverged first attempt is not counted, the passing retry is', async () => {
  const env = { FAKE_URL: fake.url }
  const record = await jestProject.run(JEST, ['--no-cache'], env)
  expect(record.code, record.output).toBe(0)
  const replay = await jestProject.run(JEST, ['--no-cache', '--ci'], { ...env, CI: 'true', FLAKY: '1' })
  expect(replay.code, replay.output).toBe(0)
  const report = readReportFile(join(jestProject.dir, 'reports/replays.json'))
  expect(report.totals).toMatchObject({ assertions: 1, replayed: 1, diverged: 0 })
  expect(report.runs.map((r) => [r.key, r.status])).toEqual([['answers after a retry 1', 'replayed']])
})

test('vitest: a change at character ~600 of a long system prompt is shown in the failure, with what was left out', async () => {
  project.write(
    'test/prompt.test.ts',
    `import { capture } from '@replaykit/vitest'
import { expect, test } from 'vitest'
import { askAgent } from '../src/agent.js'

test('long prompt', async () => {
  const run = await capture(() => askAgent('What is the weather in Oslo?'))
  expect(run).toMatchReplay()
})
`,
  )
  const system = (rule: string) =>
    `${'You are a weather assistant. Answer from the tool result only. '.repeat(10)}${rule} Keep it short.`
  const env = { FAKE_URL: fake.url }
  const record = await project.run(VITEST, ['run', 'test/prompt.test.ts'], {
    ...env,
    AGENT_SYSTEM: system('Use Celsius.'),
  })
  expect(record.code, record.output).toBe(0)
  const replay = await project.run(VITEST, ['run', 'test/prompt.test.ts'], {
    ...env,
    CI: 'true',
    AGENT_SYSTEM: system('Use Fahrenheit.'),
  })
  expect(replay.code).toBe(1)
  expect(replay.output).toContain('text differs from character 635 (')
  expect(replay.output).toMatch(/- …594 chars… ".*Use Celsius\. Keep it short\."/)
  expect(replay.output).toMatch(/\+ …594 chars… ".*Use Fahrenheit\. Keep it short\."/)
})
