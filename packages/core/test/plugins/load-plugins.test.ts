/** The plugin loader and shape check (issue 11): by module path from the root, typed errors naming the path. */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { isReplayKitError } from '../../src/errors.js'
import {
  activePlugins,
  checkPlugin,
  loadPlugins,
  runHook,
  runHookSync,
  unloadPlugins,
} from '../../src/plugins/index.js'

const root = mkdtempSync(join(tmpdir(), 'rpk-plugins-'))
writeFileSync(
  join(root, 'ok.mjs'),
  `export const calls = []
export default { name: 'ok', setup() { globalThis.__rpkSetup = (globalThis.__rpkSetup ?? 0) + 1 }, hooks: { onMatch() {} } }`,
)
writeFileSync(join(root, 'named.mjs'), `export const plugin = { name: 'named', hooks: {} }`)
writeFileSync(join(root, 'cjs.cjs'), `module.exports = { name: 'cjs', hooks: {} }`)
writeFileSync(join(root, 'ts-plugin.ts'), `const name: string = 'typed'\nexport default { name, hooks: {} }`)
writeFileSync(join(root, 'none.mjs'), `export const other = 1`)
writeFileSync(join(root, 'typo.mjs'), `export default { name: 'typo', hooks: { onMatched() {} } }`)
writeFileSync(join(root, 'throws.mjs'), `throw new Error('boom at import')`)

afterEach(async () => {
  await unloadPlugins()
})

function errorOf(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

async function loadError(paths: string[]): Promise<Error & { code?: string }> {
  const error = await loadPlugins(paths, root).then(
    () => undefined,
    (error: unknown) => error,
  )
  expect(isReplayKitError(error)).toBe(true)
  return error as Error & { code?: string }
}

describe('loadPlugins', () => {
  test('imports default, `plugin`, CommonJS and TypeScript exports in order, sets them up and makes them active', async () => {
    const loaded = await loadPlugins(['./ok.mjs', './named.mjs', './cjs.cjs', join(root, 'ts-plugin.ts')], root)
    expect(loaded.map((plugin) => plugin.name)).toEqual(['ok', 'named', 'cjs', 'typed'])
    expect(activePlugins().map((plugin) => plugin.name)).toEqual(['ok', 'named', 'cjs', 'typed'])
    expect((globalThis as { __rpkSetup?: number }).__rpkSetup).toBe(1)
  })

  test.each([
    ['./missing.mjs', /missing\.mjs.*no file at/],
    ['not-a-package-xyz', /not-a-package-xyz.*does not resolve/],
    ['./none.mjs', /none\.mjs.*no default export and no `plugin` export/],
    ['./typo.mjs', /typo\.mjs.*unknown hook "onMatched"/],
    ['./throws.mjs', /throws\.mjs.*boom at import/],
  ])('%s fails with RPK_BAD_PLUGIN naming the path and the cause', async (path, message) => {
    const error = await loadError([path])
    expect(error.code).toBe('RPK_BAD_PLUGIN')
    expect(error.message).toMatch(message)
    expect(activePlugins()).toEqual([])
  })
})

describe('checkPlugin', () => {
  test.each([
    ['a string', 'x', /expected a plugin object, got "x"/],
    ['no name', { hooks: {} }, /name must be a non-empty string/],
    ['hooks not an object', { name: 'p', hooks: 1 }, /p: hooks must be an object, got number/],
    ['a hook not a function', { name: 'p', hooks: { beforeWrite: 1 } }, /hooks\.beforeWrite must be a function/],
    ['an unknown member', { name: 'p', hooks: {}, setpu() {} }, /unknown member "setpu"/],
    ['setup not a function', { name: 'p', hooks: {}, setup: true }, /setup must be a function/],
    ['store not a function', { name: 'p', store: {} }, /store must be a function/],
  ])('refuses %s with RPK_BAD_PLUGIN naming the module', (_what, value, message) => {
    const error = errorOf(() => checkPlugin(value, './p.ts')) as Error & { code?: string }
    expect(error.code).toBe('RPK_BAD_PLUGIN')
    expect(error.message).toContain('./p.ts')
    expect(error.message).toMatch(message)
  })

  test('a plugin with only a store (no hooks) is a plugin', () => {
    expect(() => checkPlugin({ name: 'p', store: () => undefined }, './p.ts')).not.toThrow()
  })
})

describe('running hooks', () => {
  test('in list order; a returned value replaces the field for the next plugin', async () => {
    const seen: string[] = []
    const { activatePlugins } = await import('../../src/plugins/active.js')
    activatePlugins([
      { name: 'a', hooks: { beforeMatch: ({ request }) => ({ ...request, url: `${request.url}?a` }) } },
      {
        name: 'b',
        hooks: {
          beforeMatch: ({ request }) => {
            seen.push(request.url)
          },
        },
      },
    ])
    const event = await runHook('beforeMatch', { request: { method: 'GET', url: 'http://x/', headers: {} } }, 'request')
    expect(seen).toEqual(['http://x/?a'])
    expect(event.request.url).toBe('http://x/?a')
  })

  test('a hook that throws fails with the plugin name and the event', async () => {
    const { activatePlugins } = await import('../../src/plugins/active.js')
    activatePlugins([
      {
        name: 'redactor',
        hooks: {
          beforeWrite: () => {
            throw new Error('bad policy')
          },
        },
      },
    ])
    const error = errorOf(() =>
      runHookSync(
        'beforeWrite',
        { key: 'k 1', file: 'a.rpk', run: { name: 'k', index: 1, steps: [] } as never },
        'run',
      ),
    ) as Error & { code?: string }
    expect(error.code).toBe('RPK_BAD_PLUGIN')
    expect(error.message).toMatch(/Plugin "redactor" failed in beforeWrite: bad policy/)
  })
})

describe('unloadPluginsOnExit', () => {
  test('registers once per process; at exit every plugin cleanup runs, last loaded first, and none stays active', async () => {
    const { activatePlugins } = await import('../../src/plugins/active.js')
    const { unloadPluginsOnExit } = await import('../../src/plugins/index.js')
    const cleaned: string[] = []
    activatePlugins(
      ['a', 'b'].map((name) => ({
        name,
        cleanup: async () => {
          cleaned.push(name)
        },
      })),
    )
    const registered: Array<() => Promise<void>> = []
    unloadPluginsOnExit((cleanup) => registered.push(cleanup))
    unloadPluginsOnExit((cleanup) => registered.push(cleanup))
    expect(registered).toHaveLength(1)
    await registered[0]?.()
    expect(cleaned).toEqual(['b', 'a'])
    expect(activePlugins()).toEqual([])
  })
})
