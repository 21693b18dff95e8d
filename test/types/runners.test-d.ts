/**
 * The runners' typed surface, Vitest and Jest side by side (issue 11): `capture`, `toMatchReplay`
 * on each runner's `expect`, and the plugin shape (plugins named by module path in each runner's
 * options; a plugin object with hooks and a store). Checked by `npm run typecheck` (tsc over test/).
 */
import { expect as jestExpect } from '@jest/globals'
import { RpkStore } from '@replaykit/core'
import type { ReplayKitPlugin, StoreContext } from '@replaykit/core/engine'
import {
  type ReplayAssertionOptions as JestAssertionOptions,
  type ReplayKitOptions as JestOptions,
  type ReplayRun as JestRun,
  capture as jestCapture,
} from '@replaykit/jest'
import {
  type ReplayAssertionOptions,
  type ReplayKitOptions,
  type ReplayRun,
  replaykit,
  capture as vitestCapture,
} from '@replaykit/vitest'
import { expectTypeOf, test, expect as vitestExpect } from 'vitest'

test('capture: the function and its options in, a ReplayRun of its value out, in both runners', () => {
  expectTypeOf(vitestCapture(async () => 42)).resolves.toEqualTypeOf<ReplayRun<number>>()
  expectTypeOf(jestCapture(() => 'text')).resolves.toEqualTypeOf<JestRun<string>>()
  expectTypeOf(vitestCapture).parameter(1).toMatchTypeOf<{ name?: string } | undefined>()
  // @ts-expect-error: capture takes a function, not a promise
  void vitestCapture(Promise.resolve(1))
  // @ts-expect-error: capture takes a function, not a promise
  void jestCapture(Promise.resolve(1))
})

test('toMatchReplay on each runner’s expect, with the assertion options', () => {
  const run = {} as ReplayRun<number>
  expectTypeOf(vitestExpect(run).toMatchReplay).parameter(0).toEqualTypeOf<ReplayAssertionOptions | undefined>()
  expectTypeOf(jestExpect(run).toMatchReplay).parameter(0).toEqualTypeOf<JestAssertionOptions | undefined>()
  vitestExpect(run).toMatchReplay({ mode: 'hybrid' })
  jestExpect(run).toMatchReplay({ mode: 'strict' })
  // @ts-expect-error: not a mode
  vitestExpect(run).toMatchReplay({ mode: 'replay' })
  // @ts-expect-error: not a mode
  jestExpect(run).toMatchReplay({ mode: 'replay' })
})

test('plugins: named by module path in both runners’ options, never as objects', () => {
  expectTypeOf<ReplayKitOptions['plugins']>().toEqualTypeOf<string[] | undefined>()
  expectTypeOf<JestOptions['plugins']>().toEqualTypeOf<string[] | undefined>()
  replaykit({ plugins: ['./replaykit-plugin.ts', 'my-org/replaykit-plugin'] })
  const plugin = { name: 'p', hooks: {} } satisfies ReplayKitPlugin
  // @ts-expect-error: a config crosses to the workers as JSON: plugins are module paths
  replaykit({ plugins: [plugin] })
  const jest: JestOptions = { plugins: ['./replaykit-plugin.mjs'] }
  void jest
})

test('the plugin shape: name, optional hooks, setup, cleanup and store', () => {
  const full = {
    name: 'full',
    setup: async () => undefined,
    cleanup: () => undefined,
    store: ({ testFile, rpkPath }: StoreContext) => new RpkStore(`${rpkPath}.${testFile.length}`),
    hooks: {
      beforeMatch: ({ request }) => ({ ...request, url: request.url }),
      onMiss: ({ verdict }) => {
        expectTypeOf(verdict).toEqualTypeOf<'live' | 'refuse'>()
      },
      beforeWrite: () => undefined,
    },
  } satisfies ReplayKitPlugin
  void full
  const storeOnly = { name: 'store-only', store: ({ rpkPath }) => new RpkStore(rpkPath) } satisfies ReplayKitPlugin
  void storeOnly
  // @ts-expect-error: a misspelt hook (onMatched) is not a hook
  const typo = { name: 't', hooks: { onMatched: () => undefined } } satisfies ReplayKitPlugin
  void typo
  // @ts-expect-error: a store returns a RecordingStore
  const badStore = { name: 'b', store: () => 'folder/' } satisfies ReplayKitPlugin
  void badStore
})
