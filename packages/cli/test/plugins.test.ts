/**
 * `--plugin PATH` (repeatable) on `replaykit record` and `replaykit replay` (issue 11): the plugin is
 * loaded in the CLI (checked before the program runs; its beforeWrite and store run there) and in
 * the program through the preload (its request hooks run in the program's capture); its cleanup
 * runs in both when they end. A path that does not resolve is the PluginError naming it, exit 2.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { type FakeProvider, startFakeProvider } from '../../../test/utils/fake-provider.js'
import { cliAsync, ensureBuilt, NODE, tempDir } from './helpers.js'

let fake: FakeProvider
let dir: string
// The nonce changes every run: the plugin's beforeMatch matches without it.
const APP = `
const weather = await (await fetch(process.env.BASE + '/weather?city=Oslo&nonce=' + process.argv[2])).json()
console.log('weather:', weather.city)
`
const PLUGIN = `import { appendFileSync } from 'node:fs'
const log = (line) => appendFileSync(process.env.PLUGIN_LOG, line + '\\n')
export default {
  name: 'cli-plugin',
  setup: () => log('setup ' + process.pid),
  cleanup: async () => log('cleanup ' + process.pid),
  hooks: {
    beforeMatch: ({ request }) => {
      const url = new URL(request.url)
      url.searchParams.delete('nonce')
      return { ...request, url: url.href }
    },
    onMatch: ({ request }) => log('match ' + new URL(request.url).pathname),
    beforeWrite: ({ key, run, file }) => {
      log('write ' + key + ' ' + file)
      // The response's city (a redaction policy); requests are recorded as sent.
      return { ...run, steps: run.steps.map((step) => step.kind === 'http.response' ? JSON.parse(JSON.stringify(step).replaceAll('"Oslo"', '"[city]"')) : step) }
    },
  },
}
`

beforeAll(async () => {
  await ensureBuilt()
  fake = await startFakeProvider()
  dir = tempDir()
  writeFileSync(join(dir, 'app.mjs'), APP)
  writeFileSync(join(dir, 'plugin.mjs'), PLUGIN)
})
afterAll(async () => {
  await fake.close()
  rmSync(dir, { recursive: true, force: true })
})
beforeEach(() => {
  fake.reset()
  writeFileSync(join(dir, 'plugin.log'), '')
})

const run = (args: string[]) => cliAsync(args, dir, { BASE: fake.url, PLUGIN_LOG: join(dir, 'plugin.log') })
const log = (): string[] => readFileSync(join(dir, 'plugin.log'), 'utf8').split('\n').filter(Boolean)

/** Every process that set the plugin up cleaned it up. */
function expectCleanedUp(lines: string[], processes: number): void {
  const setups = lines.filter((line) => line.startsWith('setup ')).map((line) => line.slice(6))
  const cleanups = lines.filter((line) => line.startsWith('cleanup ')).map((line) => line.slice(8))
  expect(new Set(setups).size).toBe(processes)
  expect(cleanups.sort()).toEqual(setups.sort())
}

describe('--plugin', () => {
  test('record runs beforeWrite in the CLI; replay matches through the plugin in the program; both clean up', async () => {
    const recorded = await run(['record', '-o', 'app.rpk', '--plugin', './plugin.mjs', '--', NODE, 'app.mjs', '1'])
    expect(recorded.code, recorded.stderr).toBe(0)
    expect(log()).toContain(`write record 1 app.rpk`)
    expectCleanedUp(log(), 2) // the CLI and the program
    const file = readFileSync(join(dir, 'app.rpk'), 'utf8')
    expect(file).toContain('"[city]"')

    writeFileSync(join(dir, 'plugin.log'), '')
    fake.reset()
    const replayed = await run(['replay', 'app.rpk', '--plugin', './plugin.mjs', '--', NODE, 'app.mjs', '2'])
    expect(replayed.code, replayed.stderr).toBe(0)
    // The nonce differs (2, recorded 1): matched by the plugin's beforeMatch, and not a divergence either.
    expect(replayed.stdout).toBe('weather: [city]\n')
    expect(fake.requests).toHaveLength(0)
    expect(log()).toContain('match /weather')
    expectCleanedUp(log(), 2)

    // Without the plugin the nonce differs: refused, and reported as the divergence.
    const plain = await run(['replay', 'app.rpk', '--', NODE, 'app.mjs', '3'])
    expect(plain.code).toBe(1)
    expect(fake.requests).toHaveLength(0)
  })

  test('a plugin path that does not resolve is RPK_BAD_PLUGIN naming it, exit 2, before the program runs', async () => {
    for (const command of [
      ['record', '-o', 'bad.rpk'],
      ['replay', 'app.rpk'],
    ]) {
      const result = await run([...command, '--plugin', './missing.mjs', '--json', '--', NODE, 'app.mjs', '1'])
      expect(result.code).toBe(2)
      expect(result.stdout + result.stderr).toContain('RPK_BAD_PLUGIN')
      expect(result.stdout + result.stderr).toContain('./missing.mjs: Failed to load the plugin: no file at')
      expect(fake.requests).toHaveLength(0)
    }
  })
})
