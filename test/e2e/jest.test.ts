/**
 * @replaykit/jest end to end: a plain CommonJS project whose whole Jest config
 * is `preset: '@replaykit/jest'`, the packed packages, the real `jest` binary,
 * and the fake provider over loopback (Anthropic wire format).
 */
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { readReportFile } from '../../packages/core/src/replay-report/io.js'
import { type FakeProvider, startFakeProvider } from '../utils/fake-provider.js'
import { ANTHROPIC_AGENT } from './helpers/agents.js'
import { createProject, type RunResult, type TempProject } from './helpers/project.js'

let fake: FakeProvider
let project: TempProject

const JEST = 'node_modules/jest/bin/jest.js'

beforeAll(() =>
  startFakeProvider().then((started) => {
    fake = started
    project = createProject({
      name: 'jest-user',
      packageJson: {
        devDependencies: { jest: '^30.5.2', '@replaykit/jest': '0.1.0' },
        jest: { preset: '@replaykit/jest' },
      },
      packages: ['@replaykit/core', '@replaykit/jest'],
    })
    project.write('src/agent.js', ANTHROPIC_AGENT)
  }),
)

afterAll(async () => {
  project?.dispose()
  await fake?.close()
})

beforeEach(() => fake.reset())

/** `jest <args>` in the project, one worker per file as Jest chooses, no cache between runs. */
function jest(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return project.run(JEST, ['--no-cache', ...args], { FAKE_URL: fake.url, ...env })
}

function testFile(name: string, body: string): string {
  const file = `test/${name}.test.js`
  project.write(
    file,
    `const { capture } = require('@replaykit/jest')
const { askAgent, busy } = require('../src/agent.js')

${body}
`,
  )
  return file
}

const rpk = (name: string): string => `test/__snapshots__/${name}.test.js.rpk`

describe('record, replay, diverge', () => {
  const file = () =>
    testFile(
      'weather',
      `describe('weather agent', () => {
  test('answers with the tool result', async () => {
    const run = await capture(() => askAgent(process.env.QUESTION || 'What is the weather in Oslo?'))
    expect(run).toMatchReplay()
    expect(run.value).toMatch(/12°C and cloudy in (Oslo|Bergen)/)
  })
})`,
    )

  test('the first local run records', async () => {
    const result = await jest([file()])
    expect(result.code, result.output).toBe(0)
    expect(fake.requests.length).toBe(2)
    const runs = JSON.parse(project.read(rpk('weather'))).runs
    expect(Object.keys(runs)).toEqual(['weather agent > answers with the tool result 1'])
    expect(runs['weather agent > answers with the tool result 1'].steps[0]).toMatchObject({
      kind: 'model.request',
      provider: 'anthropic',
    })
    expect(result.output).toMatch(/ReplayKit .*1 run · 1 recorded/)
  })

  test('--ci replays offline: no request reaches the provider and nothing is written', async () => {
    const before = project.read(rpk('weather'))
    const result = await jest([file(), '--ci'])
    expect(result.code, result.output).toBe(0)
    expect(fake.requests).toEqual([])
    expect(project.read(rpk('weather'))).toBe(before)
    expect(result.output).toMatch(/1 replayed/)
  })

  test('a changed prompt fails with the first-divergence report', async () => {
    const result = await jest([file()], { CI: 'true', QUESTION: 'What is the weather in Bergen?' })
    expect(result.code).toBe(1)
    expect(fake.requests).toEqual([])
    expect(result.output).toContain('Replay of "weather agent > answers with the tool result 1" diverged')
    expect(result.output).toContain(
      'First divergence at step 1 of 6 (model.request, anthropic messages, claude-sonnet-5-5)',
    )
    expect(result.output).toContain('section: prompt')
    expect(result.output).toContain('"What is the weather in Oslo?" → "What is the weather in Bergen?"')
    expect(result.output).toMatch(/✗ diverged test\/weather\.test\.js/)
  })

  test("jest's own -u does not re-record", async () => {
    const before = project.read(rpk('weather'))
    const result = await jest([file(), '-u'], { QUESTION: 'What is the weather in Bergen?' })
    expect(result.code).toBe(1)
    expect(fake.requests).toEqual([])
    expect(project.read(rpk('weather'))).toBe(before)
  })

  test('REPLAYKIT_UPDATE=1 (what `replaykit test --update-replays` sets) re-records live', async () => {
    const update = await jest([file()], { REPLAYKIT_UPDATE: '1', QUESTION: 'What is the weather in Bergen?' })
    expect(update.code, update.output).toBe(0)
    expect(fake.requests.length).toBe(2)
    expect(project.read(rpk('weather'))).toContain('What is the weather in Bergen?')
    fake.reset()
    const replay = await jest([file(), '--ci'], { QUESTION: 'What is the weather in Bergen?' })
    expect(replay.code, replay.output).toBe(0)
    expect(fake.requests).toEqual([])
  })
})

test('a missing recording fails under --ci with the command to record it', async () => {
  const file = testFile(
    'missing',
    `test('never recorded', async () => {
  const run = await capture(() => askAgent('What is the weather in Lima?'))
  expect(run).toMatchReplay()
})`,
  )
  const result = await jest([file, '--ci'])
  expect(result.code).toBe(1)
  expect(fake.requests).toEqual([])
  expect(result.output).toContain('No recording for "never recorded 1" in test/__snapshots__/missing.test.js.rpk')
  expect(result.output).toContain('npx jest test/missing.test.js')
  expect(project.exists(rpk('missing'))).toBe(false)
})

test('obsolete entries are reported, and removed by an update-all run; skipped tests keep theirs', async () => {
  const body = (name: string, skip: boolean) => `test('${name}', async () => {
  const run = await capture(() => askAgent('What is the weather in Rome?'))
  expect(run).toMatchReplay()
})
test${skip ? '.skip' : ''}('skipped keeps its entry', async () => {
  const run = await capture(() => askAgent('What is the weather in Paris?'))
  expect(run).toMatchReplay()
})`
  const file = testFile('obsolete', body('old name', false))
  expect((await jest([file])).code).toBe(0)
  testFile('obsolete', body('new name', true))
  const local = await jest([file])
  expect(local.code, local.output).toBe(0)
  expect(local.output).toContain('○ obsolete test/__snapshots__/obsolete.test.js.rpk: "old name 1"')
  const changedOnly = await jest([file], { REPLAYKIT_UPDATE: '1' })
  expect(changedOnly.output).not.toContain('− removed')
  const update = await jest([file], { REPLAYKIT_UPDATE: 'all' })
  expect(update.code, update.output).toBe(0)
  expect(update.output).toContain('− removed  test/__snapshots__/obsolete.test.js.rpk: "old name 1"')
  expect(Object.keys(JSON.parse(project.read(rpk('obsolete'))).runs).sort()).toEqual([
    'new name 1',
    'skipped keeps its entry 1',
  ])
})

test('test.concurrent keeps each test’s runs apart', async () => {
  const cities = ['Oslo', 'Lima', 'Tokyo', 'Cairo', 'Quito', 'Perth', 'Dakar', 'Hanoi']
  const tests = cities
    .map(
      (city) => `test.concurrent('${city}', async () => {
  const run = await capture(() => askAgent('What is the weather in ${city}?'))
  expect(run.value).toContain('${city}')
  expect(run).toMatchReplay()
})`,
    )
    .join('\n')
  const file = testFile('concurrent', tests)
  const record = await jest([file])
  expect(record.code, record.output).toBe(0)
  const runs = JSON.parse(project.read(rpk('concurrent'))).runs
  for (const city of cities) expect(JSON.stringify(runs[`${city} 1`].steps[0])).toContain(`in ${city}?`)
  fake.reset()
  const replay = await jest([file, '--ci'])
  expect(replay.code, replay.output).toBe(0)
  expect(fake.requests).toEqual([])
})

test('the slowdown gate from testEnvironmentOptions fails a replay that got slower', async () => {
  project.write(
    'jest.gate.config.js',
    `module.exports = {
  preset: '@replaykit/jest',
  testEnvironmentOptions: { replaykit: { slowdown: { maxRatio: 2, minMs: 200 } } },
}
`,
  )
  const file = testFile(
    'gate',
    `test('stays fast', async () => {
  const run = await capture(async () => {
    const answer = await askAgent('What is the weather in Oslo?')
    busy(Number(process.env.BUSY_MS || 0))
    return answer
  })
  expect(run).toMatchReplay()
})`,
  )
  expect((await jest(['--config', 'jest.gate.config.js', file])).code).toBe(0)
  const slow = await jest(['--config', 'jest.gate.config.js', file, '--ci'], { BUSY_MS: '1500' })
  expect(slow.code).toBe(1)
  expect(slow.output).toMatch(
    /The run got slower: its own time \(network excluded\) was [\d.]+ ms, the recording's [\d.]+ ms/,
  )
  expect(slow.output).toMatch(/the gate allows 2\.00× and ignores slowdowns under 200\.0 ms/)
})

test('the json report through the reporter options, one per shard', async () => {
  project.write(
    'jest.json.config.js',
    `module.exports = {
  preset: '@replaykit/jest',
  reporters: ['default', ['@replaykit/jest/reporter', { report: 'json', reportFile: 'reports/replays.json' }]],
}
`,
  )
  const cities = { a: ['Oslo', 'Rome'], b: ['Lima'] }
  for (const [name, list] of Object.entries(cities)) {
    testFile(
      `report-${name}`,
      list
        .map(
          (city) => `test('${city}', async () => {
  const run = await capture(() => askAgent('What is the weather in ${city}?'))
  expect(run).toMatchReplay()
})`,
        )
        .join('\n'),
    )
  }
  const record = await jest(['test/report-'])
  expect(record.code, record.output).toBe(0)
  const shard = (index: number) =>
    jest(['--config', 'jest.json.config.js', 'test/report-', '--ci', `--shard=${index}/2`])
  const [one, two] = [await shard(1), await shard(2)]
  expect(one.code, one.output).toBe(0)
  expect(two.code, two.output).toBe(0)
  const reports = ['reports/replays.shard-1-of-2.json', 'reports/replays.shard-2-of-2.json'].map((f) =>
    readReportFile(join(project.dir, f)),
  )
  expect(reports.map((r) => [r.runner, r.shard])).toEqual([
    ['jest', '1/2'],
    ['jest', '2/2'],
  ])
  expect(reports.reduce((sum, r) => sum + r.totals.replayed, 0)).toBe(3)
  expect(reports.flatMap((r) => r.files.map((f) => f.file)).sort()).toEqual([
    'test/report-a.test.js',
    'test/report-b.test.js',
  ])
})
