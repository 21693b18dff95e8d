/**
 * Plugins named by module path in the config (issue 11), loaded inside each worker: the real
 * `vitest` (threads and forks pools) and `jest` binaries (two files on two workers), the packed
 * packages. The plugin redacts a response field before the run is written (checked in the .rpk)
 * and counts the matches of a strict replay, and its cleanup runs in every worker that set it up
 * (marker lines); a store plugin keeps the recordings in its own folder, and a replay in CI reads
 * them from there; a path that does not resolve fails the run with the PluginError (RPK_BAD_PLUGIN)
 * message naming it, the cause and the fix (the runners print the message, not the code).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type FakeOllama, startFakeOllama } from '../utils/fake-ollama.js'
import { createProject, type TempProject } from './helpers/project.js'
import { useVitestProject } from './helpers/vitest-project.js'

let ollama: FakeOllama
beforeAll(async () => {
  ollama = await startFakeOllama()
})
afterAll(async () => {
  await ollama?.close()
})

// An ES module the loader imports by path in Vitest and Jest alike.
const PLUGIN = `import { appendFileSync } from 'node:fs'
import { join } from 'node:path'
import { threadId } from 'node:worker_threads'

const redact = (value) =>
  JSON.parse(JSON.stringify(value).replaceAll('"done_reason":"stop"', '"done_reason":"[policy]"'))

// Which worker: a process (forks, Jest) or a thread (Vitest threads).
const worker = () => process.pid + ':' + threadId
const mark = (what) => appendFileSync(join(process.env.COUNT_DIR, what + '.log'), worker() + '\\n')

export default {
  name: 'count-and-redact',
  setup: () => mark('setups'),
  cleanup: async () => {
    await new Promise((resolve) => setTimeout(resolve, 10))
    mark('cleanups')
  },
  hooks: {
    beforeWrite: ({ run }) => redact(run),
    onMatch: ({ request }) => appendFileSync(join(process.env.COUNT_DIR, 'matches.log'), request.url + '\\n'),
  },
}
`

// docs/plugins.md, example 3: a custom store, the recordings in one folder at the project root (loaded as .ts).
const STORE_PLUGIN = readFileSync(join(import.meta.dirname, '../docs/plugins/recordings-folder.ts'), 'utf8')

const chatTest = (name: string): string => `test('${name}', async () => {
  const run = await capture(async () => {
    const response = await fetch(process.env.OLLAMA_URL + '/api/chat', {
      method: 'POST',
      body: JSON.stringify({ model: 'llama-fake', stream: false, messages: [{ role: 'user', content: '${name}' }] }),
    })
    return (await response.json()).message.content
  })
  expect(run).toMatchReplay()
})
`

function matches(project: TempProject): number {
  try {
    return project.read('matches.log').split('\n').filter(Boolean).length
  } catch {
    return 0
  }
}

function lines(project: TempProject, file: string): string[] {
  try {
    return project.read(file).split('\n').filter(Boolean).sort()
  } catch {
    return []
  }
}

/** Every worker that set the plugin up ran its cleanup when it ended (the async one included). */
function expectCleanedUp(project: TempProject): void {
  const setups = lines(project, 'setups.log')
  expect(setups.length).toBeGreaterThan(0)
  expect(lines(project, 'cleanups.log')).toEqual(setups)
}

function expectRedacted(project: TempProject, rpk: string): void {
  const text = project.read(rpk)
  expect(text).toContain('[policy]')
  expect(text).not.toContain('"stop"')
}

describe.each(['threads', 'forks'])('Vitest, %s pool', (pool) => {
  const e2e = useVitestProject(`vitest-plugins-${pool}`)
  const config = (plugins: string[]): string => `import replaykit from '@replaykit/vitest'
import { defineConfig } from 'vitest/config'
export default defineConfig({ plugins: [replaykit({ plugins: ${JSON.stringify(plugins)} })], test: { pool: '${pool}' } })
`

  test('a plugin loaded by path redacts before write and counts the matches of a replay', async () => {
    const { project } = e2e
    project.write('replaykit-plugin.mjs', PLUGIN)
    project.write('vitest.config.ts', config(['./replaykit-plugin.mjs']))
    for (const name of ['a', 'b']) {
      project.write(
        `test/${name}.test.ts`,
        `import { capture } from '@replaykit/vitest'\nimport { expect, test } from 'vitest'\n${chatTest(name)}`,
      )
    }
    const env = { OLLAMA_URL: ollama.url, COUNT_DIR: project.dir }
    const recorded = await e2e.vitest([], env)
    expect(recorded.code, recorded.output).toBe(0)
    for (const name of ['a', 'b']) expectRedacted(project, `test/__snapshots__/${name}.test.ts.rpk`)
    expect(matches(project)).toBe(0)
    expectCleanedUp(project)

    const replayed = await e2e.vitest([], { ...env, CI: 'true' })
    expect(replayed.code, replayed.output).toBe(0)
    expect(matches(project)).toBe(2)
  })

  test('a store plugin records into its own folder and the replay reads from it', async () => {
    const { project } = e2e
    project.remove('test')
    project.write('recordings-folder.ts', STORE_PLUGIN)
    project.write('vitest.config.ts', config(['./recordings-folder.ts']))
    project.write(
      'test/s.test.ts',
      `import { capture } from '@replaykit/vitest'\nimport { expect, test } from 'vitest'\n${chatTest('s')}`,
    )
    const env = { OLLAMA_URL: ollama.url, COUNT_DIR: project.dir }
    const recorded = await e2e.vitest([], env)
    expect(recorded.code, recorded.output).toBe(0)
    expect(project.read('recordings/s.test.ts.rpk')).toContain('"done_reason"')
    expect(project.exists('test/__snapshots__')).toBe(false)

    const replayed = await e2e.vitest([], { ...env, CI: 'true' })
    expect(replayed.code, replayed.output).toBe(0)
  })

  test('a plugin path that does not resolve fails the run naming it, the cause and the fix', async () => {
    const { project } = e2e
    project.write('vitest.config.ts', config(['./missing-plugin.mjs']))
    project.write(
      'test/a.test.ts',
      `import { capture } from '@replaykit/vitest'\nimport { expect, test } from 'vitest'\n${chatTest('a')}`,
    )
    const result = await e2e.vitest([], { OLLAMA_URL: ollama.url, COUNT_DIR: project.dir })
    expect(result.code).toBe(1)
    expect(result.output).toContain('./missing-plugin.mjs: Failed to load the plugin: no file at')
    expect(result.output).toContain('see docs/plugins.md')
  })
})

describe('Jest', () => {
  let project: TempProject
  const JEST = 'node_modules/jest/bin/jest.js'
  const make = (plugins: string[]): TempProject => {
    const made = createProject({
      name: 'jest-plugins',
      packageJson: {
        devDependencies: { jest: '^30.5.2', '@replaykit/jest': '0.1.0' },
        jest: { preset: '@replaykit/jest', testEnvironmentOptions: { replaykit: { plugins } } },
      },
      packages: ['@replaykit/core', '@replaykit/jest'],
    })
    made.write('replaykit-plugin.mjs', PLUGIN)
    made.write('recordings-folder.ts', STORE_PLUGIN)
    for (const name of ['a', 'b'])
      made.write(`test/${name}.test.js`, `const { capture } = require('@replaykit/jest')\n${chatTest(name)}`)
    return made
  }
  afterAll(() => project?.dispose())

  test('a plugin loaded by path redacts before write and counts the matches of a replay', async () => {
    project = make(['./replaykit-plugin.mjs'])
    const env = { OLLAMA_URL: ollama.url, COUNT_DIR: project.dir }
    // Two files on two workers: each worker loads the plugin, and cleans it up when it ends.
    const recorded = await project.run(JEST, ['--no-cache', '--maxWorkers=2'], env)
    expect(recorded.code, recorded.output).toBe(0)
    for (const name of ['a', 'b']) expectRedacted(project, `test/__snapshots__/${name}.test.js.rpk`)
    expectCleanedUp(project)
    const replayed = await project.run(JEST, ['--no-cache', '--maxWorkers=2'], { ...env, CI: 'true' })
    expect(replayed.code, replayed.output).toBe(0)
    expect(matches(project)).toBe(2)
  })

  test('a store plugin records into its own folder and the replay reads from it', async () => {
    const stored = make(['./recordings-folder.ts'])
    try {
      const env = { OLLAMA_URL: ollama.url, COUNT_DIR: stored.dir }
      const recorded = await stored.run(JEST, ['--no-cache'], env)
      expect(recorded.code, recorded.output).toBe(0)
      for (const name of ['a', 'b']) expect(stored.read(`recordings/${name}.test.js.rpk`)).toContain('"done_reason"')
      expect(stored.exists('test/__snapshots__')).toBe(false)
      const replayed = await stored.run(JEST, ['--no-cache'], { ...env, CI: 'true' })
      expect(replayed.code, replayed.output).toBe(0)
    } finally {
      stored.dispose()
    }
  })

  test('a plugin path that does not resolve fails the run naming it, the cause and the fix', async () => {
    const bad = make(['./missing-plugin.mjs'])
    try {
      const result = await bad.run(JEST, ['--no-cache'], { OLLAMA_URL: ollama.url, COUNT_DIR: bad.dir })
      expect(result.code).toBe(1)
      expect(result.output).toContain('./missing-plugin.mjs: Failed to load the plugin: no file at')
      expect(result.output).toContain('see docs/plugins.md')
    } finally {
      bad.dispose()
    }
  })
})
