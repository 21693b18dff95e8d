/** The `plugins` option of the Vitest plugin and the Jest preset (issue 11): module paths, checked, sent to workers as JSON. */
import { expect, test } from 'vitest'
import { isReplayKitError } from '../../src/errors.js'
import { serializeConfig } from '../../src/replay-matcher/config.js'

test('plugin paths cross to the workers in the JSON config, in order', () => {
  const config = serializeConfig({ plugins: ['./replaykit-plugin.ts', 'some-package/plugin'] }, 'replaykit() options')
  expect(JSON.parse(JSON.stringify(config)).plugins).toEqual(['./replaykit-plugin.ts', 'some-package/plugin'])
})

test.each([
  ['a function', [() => undefined]],
  ['a plugin object', [{ name: 'p', hooks: {} }]],
  ['a string, not a list', './replaykit-plugin.ts'],
])('%s in plugins is RPK_BAD_CONFIG naming the option', (_what, plugins) => {
  let error: unknown
  try {
    serializeConfig({ plugins } as never, 'replaykit() options')
  } catch (caught) {
    error = caught
  }
  expect(isReplayKitError(error) && error.code).toBe('RPK_BAD_CONFIG')
  expect(String(error)).toMatch(/plugins/)
})
