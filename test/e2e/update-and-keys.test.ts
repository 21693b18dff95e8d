/**
 * Re-recording only what is needed, run keys that never collide, and the
 * warnings a user needs, through the real `vitest` binary and the packed
 * packages against the fake provider (one project for the whole file):
 * - `--update-replays` over an unchanged suite makes 0 requests and leaves
 *   every `.rpk` byte-identical; a changed prompt re-records only its run;
 *   `--update-replays=all` over unchanged traffic leaves the files as they were;
 * - tests with the same full name, the same joined name path, or the same
 *   `name` option each keep their own recording, with a warning; a recording
 *   stored under the old (unescaped) key still replays;
 * - a capture never passed to `toMatchReplay()` is named at the end of the test;
 * - a first recording that holds a connection error or a 5xx answer is warned about;
 * - the recording of a deleted test file is listed as orphaned.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { readRpkFile } from '../../packages/core/src/artifact/read.js'
import { writeRpkFile } from '../../packages/core/src/artifact/write.js'
import type { FakeProvider } from '../utils/fake-provider.js'
import type { TempProject } from './helpers/project.js'
import { useVitestProject } from './helpers/vitest-project.js'

const e2e = useVitestProject('update-and-keys')
let fake: FakeProvider
let project: TempProject
beforeAll(() => {
  ;({ fake, project } = e2e)
})
const vitest = e2e.vitest

function testFile(path: string, body: string): string {
  project.write(
    path,
    `import { capture } from '@replaykit/vitest'
import { describe, expect, test } from 'vitest'
import { askAgent } from '../../src/agent.js'

${body}
`,
  )
  return path
}

const rpkOf = (file: string): string => file.replace(/([^/]+)$/, '__snapshots__/$1.rpk')
const bytes = (file: string): Buffer => readFileSync(join(project.dir, rpkOf(file)))
const keys = (file: string): string[] => Object.keys(readRpkFile(join(project.dir, rpkOf(file)))?.runs ?? {}).sort()

/** A test asking the agent about `city` (a TypeScript expression). */
const weatherTest = (name: string, city: string) => `test('${name}', async () => {
  const run = await capture(() => askAgent(\`What is the weather in \${${city}}?\`))
  expect(run).toMatchReplay()
})`

describe('--update-replays re-records only what changed', () => {
  const files = ['test/update/a.test.ts', 'test/update/b.test.ts', 'test/update/c.test.ts']

  test('an update over an unchanged suite makes 0 requests and leaves every .rpk byte-identical', async () => {
    testFile('test/update/a.test.ts', [weatherTest('oslo', "'Oslo'"), weatherTest('lima', "'Lima'")].join('\n'))
    testFile('test/update/b.test.ts', weatherTest('rome', "process.env.CITY_B ?? 'Rome'"))
    // Hybrid: asks about Cairo, and about CITY_C too when it is set (a new request).
    testFile(
      'test/update/c.test.ts',
      `test('hybrid', async () => {
  const run = await capture(async () => {
    const first = await askAgent('What is the weather in Cairo?')
    if (process.env.CITY_C) await askAgent(\`What is the weather in \${process.env.CITY_C}?\`)
    return first.includes('12°C')
  }, { mode: 'hybrid' })
  expect(run).toMatchReplay()
})`,
    )
    const record = await vitest(['test/update'])
    expect(record.code, record.output).toBe(0)
    expect(fake.requests.length).toBe(8)
    const before = files.map(bytes)
    fake.reset()
    const update = await vitest(['test/update', '--', '--update-replays'])
    expect(update.code, update.output).toBe(0)
    expect({
      requests: fake.requests.length,
      identical: files.map((f, i) => bytes(f).equals(before[i] as Buffer)),
    }).toEqual({
      requests: 0,
      identical: [true, true, true],
    })
    expect(update.output).toMatch(/4 replayed/)
  })

  test('a changed prompt in one test re-records only that run, live for its requests only', async () => {
    const before = files.map(bytes)
    const update = await vitest(['test/update', '--', '--update-replays'], { CITY_B: 'Paris' })
    expect(update.code, update.output).toBe(0)
    expect(fake.requests.length).toBe(2)
    expect(update.output).toMatch(/1 re-recorded · 3 replayed/)
    expect(bytes(files[0] as string).equals(before[0] as Buffer)).toBe(true)
    expect(bytes(files[2] as string).equals(before[2] as Buffer)).toBe(true)
    expect(project.read(rpkOf(files[1] as string))).toContain('What is the weather in Paris?')
    fake.reset()
    const ci = await vitest(['test/update'], { CI: 'true', CITY_B: 'Paris' })
    expect(ci.code, ci.output).toBe(0)
    expect(fake.requests).toEqual([])
  })

  test("hybrid's new live requests are stored by an update without re-recording the rest live", async () => {
    const local = await vitest([files[2] as string], { CITY_C: 'Tokyo' })
    expect(local.code, local.output).toBe(0)
    expect(fake.requests.length).toBe(2)
    expect(project.read(rpkOf(files[2] as string))).not.toContain('Tokyo')
    fake.reset()
    const update = await vitest([files[2] as string, '--', '--update-replays'], { CITY_C: 'Tokyo' })
    expect(update.code, update.output).toBe(0)
    // Only the two Tokyo requests went live: the recorded Cairo turns were replayed.
    expect(fake.requests.length).toBe(2)
    expect(project.read(rpkOf(files[2] as string))).toContain('What is the weather in Tokyo?')
    fake.reset()
    const ci = await vitest([files[2] as string], { CI: 'true', CITY_C: 'Tokyo' })
    expect(ci.code, ci.output).toBe(0)
    expect(fake.requests).toEqual([])
  })

  test('--update-replays=all re-records live, and unchanged traffic leaves the files byte-identical', async () => {
    const before = files.map(bytes)
    const all = await vitest(['test/update', '--', '--update-replays=all'], { CITY_B: 'Paris', CITY_C: 'Tokyo' })
    expect(all.code, all.output).toBe(0)
    expect(fake.requests.length).toBe(10)
    expect(files.map((f, i) => bytes(f).equals(before[i] as Buffer))).toEqual([true, true, true])
  })
})

describe('run keys', () => {
  const file = () =>
    testFile(
      'test/keys/names.test.ts',
      `const ask = async (city: string, options?: { name: string }) => {
  const run = await capture(() => askAgent(\`What is the weather in \${city}?\`), options)
  expect(run).toMatchReplay()
  expect(run.value).toContain(city)
}
test('same name', () => ask('Oslo'))
test('same name', () => ask('Lima'))
describe('x', () => {
  test('y > z', () => ask('Rome'))
})
describe('x > y', () => {
  test('z', () => ask('Cairo'))
})
test('named a', () => ask('Quito', { name: 'shared' }))
test('named b', () => ask('Perth', { name: 'shared' }))
describe('p', () => {
  test('q > r', () => ask('Hanoi'))
})`,
    )

  test('tests sharing a name, a joined name path or a name option keep their own recordings, with a warning', async () => {
    const record = await vitest([file()])
    expect(record.code, record.output).toBe(0)
    expect(keys(file())).toEqual([
      'p > q \\> r 1',
      'same name 1',
      'same name 2',
      'shared 1',
      'shared 2',
      'x > y \\> z 1',
      'x \\> y > z 1',
    ])
    expect(record.output).toContain(
      'another test already captured under "same name", so this run is stored as "same name 2"',
    )
    expect(record.output).toContain('another test already captured under "shared", so this run is stored as "shared 2"')
    expect(record.output).toMatch(/⚠ warning {2}test\/keys\/names\.test\.ts: several tests capture under "same name"/)
    fake.reset()
    const ci = await vitest([file()], { CI: 'true' })
    expect(ci.code, ci.output).toBe(0)
    expect(fake.requests).toEqual([])
  })

  test('a recording stored under the unescaped key of older releases still replays, and is not obsolete', async () => {
    const path = join(project.dir, rpkOf(file()))
    const stored = readRpkFile(path)
    if (!stored) throw new Error('no recording')
    const { 'p > q \\> r 1': run, ...rest } = stored.runs
    writeRpkFile(path, { runs: { ...rest, 'p > q > r 1': run as NonNullable<typeof run> }, source: '../names.test.ts' })
    const ci = await vitest([file()], { CI: 'true' })
    expect(ci.code, ci.output).toBe(0)
    expect(fake.requests).toEqual([])
    expect(ci.output).toContain('7 replayed')
    expect(ci.output).not.toContain('○ obsolete')
  })
})

test('a capture never passed to toMatchReplay() is named at the end of the test, and fails it when its replay could not be served', async () => {
  const file = testFile(
    'test/unasserted/forgot.test.ts',
    `test('forgot the matcher', async () => {
  const run = await capture(() => askAgent('What is the weather in Oslo?'))
  expect(run.value).toContain('12°C')
})`,
  )
  const local = await vitest([file])
  expect(local.code, local.output).toBe(0)
  expect(local.output).toContain(
    '[ReplayKit] capture() in "forgot the matcher" returned a run ("forgot the matcher 1") that was never passed to expect(run).toMatchReplay(): it was recorded, but nothing checks it',
  )
  expect(local.output).toMatch(/⚠ warning .*"forgot the matcher 1": capture\(\) was never passed to toMatchReplay\(\)/)
  expect(keys(file)).toEqual(['forgot the matcher 1'])
  fake.reset()
  const replay = await vitest([file], { CI: 'true' })
  expect(replay.code, replay.output).toBe(0)
  expect(fake.requests).toEqual([])
  project.remove(rpkOf(file))
  const missing = await vitest([file], { CI: 'true' })
  expect(missing.code).toBe(1)
  expect(missing.output).toContain(
    'Failed to replay a run never passed to toMatchReplay(): "forgot the matcher 1": it has no recording',
  )
})

test('a first recording that holds a connection error or a 5xx answer says so in the test output and the summary, beside orphaned recordings', async () => {
  const file = testFile(
    'test/failed/calls.test.ts',
    `test('provider down', async () => {
  const fakeUrl = process.env.FAKE_URL
  process.env.FAKE_URL = 'http://127.0.0.1:1'
  try {
    const run = await capture(() => askAgent('What is the weather in Oslo?').catch((error) => String(error)))
    expect(run).toMatchReplay()
  } finally {
    process.env.FAKE_URL = fakeUrl
  }
})
test('server error', async () => {
  const run = await capture(() => fetch(\`\${process.env.FAKE_URL}/status/503\`).then((res) => res.status))
  expect(run).toMatchReplay()
})`,
  )
  // The recording of a test file that was deleted: listed in the summary as orphaned.
  project.write('test/failed/__snapshots__/deleted.test.ts.rpk', '{}')
  const result = await vitest([file])
  expect(result.code, result.output).toBe(0)
  expect(result.output).toContain('[ReplayKit] The recording of "provider down 1" holds 1 failed call(s)')
  expect(result.output).toMatch(/the code returned ".*Connection error\./)
  expect(result.output).toContain('[ReplayKit] The recording of "server error 1" holds 1 failed call(s)')
  expect(result.output).toMatch(/⚠ warning .*"server error 1": recorded failed calls: GET .*\/status\/503: HTTP 503/)
  expect(result.output).toContain('○ orphaned test/failed/__snapshots__/deleted.test.ts.rpk: its test file is gone')
})
