/**
 * @replaykit/vitest end to end: a temporary user project with the packed
 * packages, the real `vitest` binary, and the fake provider over loopback.
 * Each scenario writes its own test file into the one shared project.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { mergeReports } from '../../packages/core/src/replay-report/build.js'
import { readReportFile } from '../../packages/core/src/replay-report/io.js'
import type { FakeProvider } from '../utils/fake-provider.js'
import type { TempProject } from './helpers/project.js'
import { useVitestProject } from './helpers/vitest-project.js'

const e2e = useVitestProject('vitest-user')
let fake: FakeProvider
let project: TempProject
beforeAll(() => {
  ;({ fake, project } = e2e)
})
const vitest = e2e.vitest

function testFile(name: string, body: string): string {
  const file = `test/${name}.test.ts`
  project.write(
    file,
    `import { capture } from '@replaykit/vitest'
import { describe, expect, test } from 'vitest'
import { askAgent, busy } from '../src/agent.js'

${body}
`,
  )
  return file
}

const rpk = (name: string): string => `test/__snapshots__/${name}.test.ts.rpk`

describe('record, replay, diverge', () => {
  const file = () =>
    testFile(
      'weather',
      `describe('weather agent', () => {
  test('answers with the tool result', async () => {
    const run = await capture(() => askAgent(process.env.QUESTION ?? 'What is the weather in Oslo?'))
    expect(run).toMatchReplay()
    expect(run.value).toMatch(/12°C and cloudy in (Oslo|Bergen)/)
  })
})`,
    )

  test('the first local run records the runs into __snapshots__/<file>.rpk', async () => {
    const result = await vitest([file()])
    expect(result.code, result.output).toBe(0)
    expect(fake.requests.length).toBe(2)
    const recorded = JSON.parse(project.read(rpk('weather')))
    expect(Object.keys(recorded.runs)).toEqual(['weather agent > answers with the tool result 1'])
    expect(
      recorded.runs['weather agent > answers with the tool result 1'].steps.map((s: { kind: string }) => s.kind),
    ).toEqual(['model.request', 'model.response', 'tool.request', 'tool.response', 'model.request', 'model.response'])
    expect(result.output).toMatch(/ReplayKit .*1 run · 1 recorded/)
  })

  test('CI replays offline: the provider gets no request and nothing is written', async () => {
    const before = project.read(rpk('weather'))
    const result = await vitest([file()], { CI: 'true' })
    expect(result.code, result.output).toBe(0)
    expect(fake.requests).toEqual([])
    expect(project.read(rpk('weather'))).toBe(before)
    expect(result.output).toMatch(/1 replayed/)
  })

  test('a changed prompt fails with the first-divergence report', async () => {
    const before = project.read(rpk('weather'))
    const result = await vitest([file()], { CI: 'true', QUESTION: 'What is the weather in Bergen?' })
    expect(result.code).toBe(1)
    expect(fake.requests).toEqual([])
    expect(result.output).toContain('Replay of "weather agent > answers with the tool result 1" diverged')
    expect(result.output).toContain(
      'First divergence at step 1 of 6 (model.request, openai chat.completions, gpt-4o-mini)',
    )
    expect(result.output).toContain('section: prompt')
    expect(result.output).toContain(
      'request body $.messages[1].content: "What is the weather in Oslo?" → "What is the weather in Bergen?"',
    )
    expect(result.output).toContain('npx replaykit test --update-replays test/weather.test.ts')
    expect(result.output).toMatch(/✗ diverged test\/weather\.test\.ts "weather agent > answers with the tool result 1"/)
    expect(project.read(rpk('weather'))).toBe(before)
  })

  test("vitest's own -u does not re-record", async () => {
    const before = project.read(rpk('weather'))
    const result = await vitest([file(), '-u'], { QUESTION: 'What is the weather in Bergen?' })
    expect(result.code).toBe(1)
    expect(fake.requests).toEqual([])
    expect(project.read(rpk('weather'))).toBe(before)
  })

  test('-- --update-replays re-records live, and the new recording then replays', async () => {
    const update = await vitest([file(), '--', '--update-replays'], { QUESTION: 'What is the weather in Bergen?' })
    expect(update.code, update.output).toBe(0)
    expect(fake.requests.length).toBe(2)
    expect(project.read(rpk('weather'))).toContain('What is the weather in Bergen?')
    fake.reset()
    const replay = await vitest([file()], { CI: 'true', QUESTION: 'What is the weather in Bergen?' })
    expect(replay.code, replay.output).toBe(0)
    expect(fake.requests).toEqual([])
  })

  test('REPLAYKIT_UPDATE=1 re-records too', async () => {
    const result = await vitest([file()], { REPLAYKIT_UPDATE: '1' })
    expect(result.code, result.output).toBe(0)
    expect(fake.requests.length).toBe(2)
    expect(project.read(rpk('weather'))).toContain('What is the weather in Oslo?')
  })
})

test('a missing recording fails in CI with the command to record it, and nothing is written', async () => {
  const file = testFile(
    'missing',
    `test('never recorded', async () => {
  const run = await capture(() => askAgent('What is the weather in Lima?'))
  expect(run).toMatchReplay()
})`,
  )
  const result = await vitest([file], { CI: 'true' })
  expect(result.code).toBe(1)
  expect(fake.requests).toEqual([])
  expect(result.output).toContain('No recording for "never recorded 1" in test/__snapshots__/missing.test.ts.rpk')
  expect(result.output).toContain('npx vitest run test/missing.test.ts')
  expect(result.output).toMatch(/✗ missing/)
  expect(project.exists(rpk('missing'))).toBe(false)
})

test('obsolete entries are reported, kept locally, and removed by an update-all run', async () => {
  const body = (name: string) => `test('${name}', async () => {
  const run = await capture(() => askAgent('What is the weather in Rome?'))
  expect(run).toMatchReplay()
})
test.skip('skipped keeps its entry', async () => {
  const run = await capture(() => askAgent('What is the weather in Paris?'))
  expect(run).toMatchReplay()
})`
  const file = testFile('obsolete', body('old name').replace('test.skip', 'test'))
  expect((await vitest([file])).code).toBe(0)
  testFile('obsolete', body('new name'))
  const local = await vitest([file])
  expect(local.code, local.output).toBe(0)
  expect(local.output).toContain('○ obsolete test/__snapshots__/obsolete.test.ts.rpk: "old name 1"')
  expect(Object.keys(JSON.parse(project.read(rpk('obsolete'))).runs).sort()).toEqual([
    'new name 1',
    'old name 1',
    'skipped keeps its entry 1',
  ])
  const changedOnly = await vitest([file, '--', '--update-replays'])
  expect(changedOnly.output).not.toContain('− removed')
  const update = await vitest([file, '--', '--update-replays=all'])
  expect(update.code, update.output).toBe(0)
  expect(update.output).toContain('− removed  test/__snapshots__/obsolete.test.ts.rpk: "old name 1"')
  expect(Object.keys(JSON.parse(project.read(rpk('obsolete'))).runs).sort()).toEqual([
    'new name 1',
    'skipped keeps its entry 1',
  ])
})

test('test.concurrent keeps each test’s runs apart, in record and in replay', async () => {
  const cities = ['Oslo', 'Lima', 'Tokyo', 'Cairo', 'Quito', 'Perth', 'Dakar', 'Hanoi']
  const tests = cities
    .map(
      (city) => `test.concurrent('${city}', async ({ expect }) => {
  const run = await capture(() => askAgent('What is the weather in ${city}?'))
  expect(run.value).toContain('${city}')
  expect(run).toMatchReplay()
})`,
    )
    .join('\n')
  const file = testFile('concurrent', tests)
  const record = await vitest([file, '--pool=threads'])
  expect(record.code, record.output).toBe(0)
  const runs = JSON.parse(project.read(rpk('concurrent'))).runs
  for (const city of cities) expect(JSON.stringify(runs[`${city} 1`])).toContain(`in ${city}?`)
  for (const city of cities) expect(JSON.stringify(runs[`${city} 1`])).not.toContain(city === 'Oslo' ? 'Lima' : 'Oslo')
  fake.reset()
  const replay = await vitest([file, '--pool=threads'], { CI: 'true' })
  expect(replay.code, replay.output).toBe(0)
  expect(fake.requests).toEqual([])
})

test('the slowdown gate fails a replay that got slower, with both times and the ratio', async () => {
  project.write(
    'vitest.gate.config.ts',
    `import replaykit from '@replaykit/vitest'
import { defineConfig } from 'vitest/config'
export default defineConfig({ plugins: [replaykit({ slowdown: { maxRatio: 2, minMs: 200 } })] })
`,
  )
  const file = testFile(
    'gate',
    `test('stays fast', async () => {
  const run = await capture(async () => {
    const answer = await askAgent('What is the weather in Oslo?')
    busy(Number(process.env.BUSY_MS ?? 0))
    return answer
  })
  expect(run).toMatchReplay()
})`,
  )
  expect((await vitest(['--config', 'vitest.gate.config.ts', file])).code).toBe(0)
  const same = await vitest(['--config', 'vitest.gate.config.ts', file], { CI: 'true' })
  expect(same.code, same.output).toBe(0)
  const slow = await vitest(['--config', 'vitest.gate.config.ts', file], { CI: 'true', BUSY_MS: '1500' })
  expect(slow.code).toBe(1)
  expect(slow.output).toMatch(
    /The run got slower: its own time \(network excluded\) was [\d.]+ ms, the recording's [\d.]+ ms/,
  )
  expect(slow.output).toMatch(
    /\([\d.]+× the recorded time; the gate allows 2\.00× and ignores slowdowns under 200\.0 ms\)/,
  )
  expect(slow.output).toMatch(/✗ slow/)
})

test('the json report: one file per shard, merged into one', async () => {
  project.write(
    'vitest.json.config.ts',
    `import replaykit from '@replaykit/vitest'
import { defineConfig } from 'vitest/config'
export default defineConfig({ plugins: [replaykit({ report: 'json', reportFile: 'reports/replays.json' })] })
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
  const record = await vitest(['test/report-'])
  expect(record.code, record.output).toBe(0)
  const shard = (index: number) =>
    vitest(['--config', 'vitest.json.config.ts', 'test/report-', `--shard=${index}/2`], { CI: 'true' })
  const [one, two] = [await shard(1), await shard(2)]
  expect(one.code, one.output).toBe(0)
  expect(two.code, two.output).toBe(0)
  expect(one.output).toContain('ReplayKit report written to')
  const files = ['reports/replays.shard-1-of-2.json', 'reports/replays.shard-2-of-2.json'].map((f) =>
    join(project.dir, f),
  )
  const reports = files.map((f) => readReportFile(f))
  expect(reports.map((r) => r.shard)).toEqual(['1/2', '2/2'])
  expect(reports.map((r) => r.files.length)).toEqual([1, 1])
  const merged = mergeReports(reports)
  expect(merged).toMatchObject({ schema: 'replaykit-report/1', runner: 'vitest', merged: 2 })
  expect(merged.totals).toMatchObject({ assertions: 3, replayed: 3, diverged: 0, missing: 0, files: 2 })
  expect(merged.runs.map((r) => `${r.file} ${r.key}`)).toEqual([
    'test/report-a.test.ts Oslo 1',
    'test/report-a.test.ts Rome 1',
    'test/report-b.test.ts Lima 1',
  ])
  expect(JSON.parse(readFileSync(files[0] as string, 'utf8')).runs[0]).toHaveProperty('ownMs')
})

test('a CommonJS config file loads the plugin too', async () => {
  project.write(
    'vitest.config.cts',
    `const replaykit = require('@replaykit/vitest').default
const { defineConfig } = require('vitest/config')
module.exports = defineConfig({ plugins: [replaykit({ report: 'quiet' })] })
`,
  )
  const result = await vitest(['--config', 'vitest.config.cts', 'test/report-'], { CI: 'true' })
  expect(result.code, result.output).toBe(0)
  expect(fake.requests).toEqual([])
})
