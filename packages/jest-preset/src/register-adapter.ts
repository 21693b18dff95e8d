/**
 * `registerAdapter(adapter)` for Jest setup files. Runs inside the test sandbox, which cannot
 * load core (MSW is ESM-only): the adapter is handed to core's `registerAdapter` in the test
 * environment, where the engine asks it. What a test file registers is dropped when it ends.
 */
import type { ProviderAdapter } from '@replaykit/core'
import { UsageError } from '@replaykit/core/errors'
import { BRIDGE_KEY, type JestBridge } from './bridge-types.js'

/**
 * Teach ReplayKit a provider's wire format (docs/providers.md, "Writing an adapter").
 *
 * @example
 * // jest.setup.js (setupFilesAfterEnv)
 * const { registerAdapter } = require('@replaykit/jest')
 * registerAdapter(require('./test/ollama-adapter.js').ollamaAdapter)
 */
export function registerAdapter(adapter: ProviderAdapter): () => void {
  const bridge = (globalThis as typeof globalThis & { [BRIDGE_KEY]?: JestBridge })[BRIDGE_KEY]
  if (!bridge) {
    throw new UsageError('Failed to register the provider adapter: the ReplayKit test environment is not active.', {
      hint: "set preset: '@replaykit/jest' in the Jest config (or testEnvironment: '@replaykit/jest/environment').",
    })
  }
  return bridge.registerAdapter(adapter)
}
