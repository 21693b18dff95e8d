/**
 * A custom store as a plugin (issue 11): the test file's session reads and writes through the
 * RecordingStore a plugin provides, one plugin at most provides one, and a store that is not a
 * RecordingStore is a PluginError naming the plugin.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import type { Run } from '../../src/artifact/types.js'
import { activatePlugins, loadPlugins, pluginStore, unloadPlugins } from '../../src/plugins/index.js'
import { finishReplayFile, replayFileFor } from '../../src/store/file-session.js'
import { RpkStore } from '../../src/store/rpk-store.js'

const root = mkdtempSync(join(tmpdir(), 'rpk-store-plugin-'))

afterEach(async () => {
  await unloadPlugins()
})

const run = (name: string): Run => ({ name, index: 1, steps: [], outcome: { type: 'return', value: name } }) as never

function folderStore(folder: string, calls: string[]) {
  return {
    name: 'folder-store',
    store: ({ testFile }: { testFile: string }) => {
      calls.push(testFile)
      return new RpkStore(join(folder, `${testFile.split('/').pop()}.rpk`))
    },
  }
}

describe('a plugin store', () => {
  test('the test file session records into it and replays from it, not the .rpk beside the test', () => {
    const dir = mkdtempSync(join(root, 'session-'))
    const folder = join(dir, 'recordings')
    mkdirSync(folder)
    const testFile = join(dir, 'a.test.ts')
    const calls: string[] = []
    activatePlugins([folderStore(folder, calls)])

    const file = replayFileFor(testFile, 'new')
    expect(file.rpkPath).toBe(join(folder, 'a.test.ts.rpk'))
    file.store('a 1', run('a'))
    const { entry, error } = finishReplayFile(testFile, { root: dir, update: 'new', notPassed: [] })
    expect(error).toBeUndefined()
    expect(entry?.rpk).toBe('recordings/a.test.ts.rpk')
    expect(existsSync(join(folder, 'a.test.ts.rpk'))).toBe(true)
    expect(existsSync(join(dir, '__snapshots__'))).toBe(false)

    const replay = replayFileFor(testFile, 'none')
    expect(replay.recorded('a 1')?.outcome).toEqual({ type: 'return', value: 'a' })
    expect(calls).toEqual([testFile, testFile])
  })

  test('a test file that captured nothing finds its obsolete entries in the plugin store', () => {
    const dir = mkdtempSync(join(root, 'obsolete-'))
    const folder = join(dir, 'recordings')
    mkdirSync(folder)
    new RpkStore(join(folder, 'b.test.ts.rpk')).put('gone 1', run('gone'))
    activatePlugins([folderStore(folder, [])])
    const { entry } = finishReplayFile(join(dir, 'b.test.ts'), { root: dir, update: 'new', notPassed: [] })
    expect(entry?.obsolete).toEqual(['gone 1'])
  })

  test('no plugin store: undefined (the .rpk store is used)', () => {
    activatePlugins([{ name: 'hooks-only', hooks: {} }])
    expect(pluginStore({ testFile: 'a.test.ts', rpkPath: 'a.rpk' })).toBeUndefined()
  })

  test.each([
    ['undefined', () => undefined, /store-x.*failed in store: it returned undefined, not a RecordingStore/],
    ['an object without methods', () => ({ path: 'x.rpk' }), /it returned an object without read, put, append/],
    [
      'a throw',
      () => {
        throw new Error('no bucket')
      },
      /Plugin "store-x" failed in store: no bucket/,
    ],
  ])('a store that returns %s is RPK_BAD_PLUGIN naming the plugin', (_what, store, message) => {
    activatePlugins([{ name: 'store-x', store: store as never }])
    let error: (Error & { code?: string }) | undefined
    try {
      pluginStore({ testFile: 'a.test.ts', rpkPath: 'a.rpk' })
    } catch (thrown) {
      error = thrown as Error & { code?: string }
    }
    expect(error?.code).toBe('RPK_BAD_PLUGIN')
    expect(error?.message).toMatch(message)
  })

  test('two plugins with a store: the second is RPK_BAD_PLUGIN naming its path', async () => {
    const dir = mkdtempSync(join(root, 'two-'))
    for (const name of ['one', 'two'])
      writeFileSync(join(dir, `${name}.mjs`), `export default { name: '${name}', store: () => null }`)
    const error = await loadPlugins(['./one.mjs', './two.mjs'], dir).then(
      () => undefined,
      (thrown: unknown) => thrown as Error & { code?: string },
    )
    expect(error?.code).toBe('RPK_BAD_PLUGIN')
    expect(error?.message).toMatch(/\.\/two\.mjs.*two: a store is provided by "one" already/)
  })
})
