/**
 * The file the preset adds to `setupFilesAfterEnv`: registers
 * `toMatchReplay` with Jest's `expect`. Runs inside the sandbox; the judging
 * happens in the environment, through the bridge.
 */
import type { ReplayAssertionOptions } from '@replaykit/core/runner'
import { BRIDGE_KEY, type JestBridge } from './bridge-types.js'

type Sandbox = typeof globalThis & {
  [BRIDGE_KEY]?: JestBridge
  expect: { extend(matchers: Record<string, (received: unknown, ...args: never[]) => unknown>): void }
}

const sandbox = globalThis as Sandbox

sandbox.expect.extend({
  toMatchReplay(received: unknown, options?: ReplayAssertionOptions) {
    const bridge = sandbox[BRIDGE_KEY]
    if (!bridge) {
      return {
        pass: false,
        message: () =>
          "[ReplayKit] toMatchReplay() needs the ReplayKit test environment: set preset: '@replaykit/jest' in the Jest config.",
      }
    }
    return bridge.assert(received, options)
  },
})
