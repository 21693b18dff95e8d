/**
 * Run keys and unjudged captures through the real `jest` binary, the packed
 * preset and the fake provider (one CommonJS project for the whole file):
 * - tests with the same full name, the same joined name path, or the same
 *   `name` option keep their own recordings, with a warning;
 * - a capture never passed to `toMatchReplay()` is named at the end of the
 *   test, and fails it under --ci when its replay could not be served;
 * - `REPLAYKIT_UPDATE=1` over unchanged tests makes no request and leaves the
 *   `.rpk` byte-identical.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest'
import { readRpkFile } from '../../packages/core/src/artifact/read.js'
import { type FakeProvider, startFakeProvider } from '../utils/fake-provider.js'
import { ANTHROPIC_AGENT } from './helpers/agents.js'
import { createProject, type RunResult, type TempProject } from './helpers/project.js'

let fake: FakeProvider
let project: TempProject

const JEST = 'node_modules/jest/bin/jest.js'

beforeAll(async () => {
  fake = await startFakeProvider()
  project = createProject({
    name: 'jest-keys',
    packageJson: {
      devDependencies: { jest: '^30.5.2', '@replaykit/jest': '0.1.0' },
      jest: { preset: '@replaykit/jest' },
    },
    packages: ['@replaykit/core', '@replaykit/jest'],
  })
  project.write('src/agent.js', ANTHROPIC_AGENT)
})

afterAll(async () => {
  project?.dispose()
  await fake?.close()
})

beforeEach(() => fake.reset())

function jest(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return project.run(JEST, ['--no-cache', ...args], { FAKE_URL: fake.url, ...env })
}

function testFile(name: string, body: string): string {
  const file = `test/${name}.test.js`
  project.write(
    file,
    `const { capture } = require('@replaykit/jest')
const { askAgent } = require('../src/agent.js')

${body}
`,
  )
  return file
}

const rpk = (name: string): string => `test/__snapshots__/${name}.test.js.rpk`

test('tests sharing a name, a joined name path or a name option keep their own recordings; an unchanged update touches nothing', async () => {
  const file = testFile(
    'names',
    `const ask = async (city, options) => {
  const run = await capture(() => askAgent('What is the weather in ' + city + '?'), options)
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
test('named b', () => ask('Perth', { name: 'shared' }))`,
  )
  const record = await jest([file])
  expect(record.code, record.output).toBe(0)
  expect(Object.keys(readRpkFile(join(project.dir, rpk('names')))?.runs ?? {}).sort()).toEqual([
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
  expect(record.output).toMatch(/⚠ warning {2}test\/names\.test\.js: several tests capture under "same name"/)
  fake.reset()
  const ci = await jest([file, '--ci'])
  expect(ci.code, ci.output).toBe(0)
  expect(fake.requests).toEqual([])
  const before = readFileSync(join(project.dir, rpk('names')))
  const update = await jest([file], { REPLAYKIT_UPDATE: '1' })
  expect(update.code, update.output).toBe(0)
  expect(fake.requests).toEqual([])
  expect(readFileSync(join(project.dir, rpk('names'))).equals(before)).toBe(true)
})

test('a capture never passed to toMatchReplay() is named at the end of the test, and fails it under --ci when it could not be replayed', async () => {
  const file = testFile(
    'forgot',
    `test('forgot the matcher', async () => {
  const run = await capture(() => askAgent('What is the weather in Oslo?'))
  expect(run.value).toContain('12°C')
})`,
  )
  const local = await jest([file])
  expect(local.code, local.output).toBe(0)
  expect(local.output).toContain(
    '[ReplayKit] capture() in "forgot the matcher" returned a run ("forgot the matcher 1") that was never passed to expect(run).toMatchReplay(): it was recorded, but nothing checks it',
  )
  expect(local.output).toMatch(/⚠ warning .*"forgot the matcher 1": capture\(\) was never passed to toMatchReplay\(\)/)
  project.remove(rpk('forgot'))
  fake.reset()
  const ci = await jest([file, '--ci'])
  expect(ci.code).toBe(1)
  expect(fake.requests).toEqual([])
  expect(ci.output).toContain(
    'Failed to replay a run never passed to toMatchReplay(): "forgot the matcher 1": it has no recording',
  )
})
