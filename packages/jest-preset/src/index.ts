/**
 * `@replaykit/jest`: snapshot regression tests for code that calls HTTP and
 * LLM APIs, in Jest. Set `preset: '@replaykit/jest'` in the Jest config.
 *
 * @example
 * const { capture } = require('@replaykit/jest')
 * test('agent answers', async () => {
 *   const run = await capture(() => agent.ask('weather in Oslo?'))
 *   expect(run).toMatchReplay()
 * })
 *
 * @note This entry runs inside Jest's test sandbox and loads nothing but the
 * capture function: the engine lives in the test environment.
 */
import type { ReplayAssertionOptions } from '@replaykit/core/runner'
import type {} from 'expect'

export type { Mode, ProviderAdapter } from '@replaykit/core'
export type {
  ReplayAssertionOptions,
  ReplayCaptureOptions,
  ReplayKitOptions,
  ReplayRun,
  SlowdownGate,
} from '@replaykit/core/runner'
export { capture } from './capture.js'
export { registerAdapter } from './register-adapter.js'

declare module 'expect' {
  interface Matchers<R extends void | Promise<void>, T = unknown> {
    /**
     * Record the run on first sight; afterwards compare it with the recording in
     * `__snapshots__/<test file>.rpk` and fail with a first-divergence report.
     * Options override the preset's for this assertion.
     */
    toMatchReplay(options?: ReplayAssertionOptions): R
  }
}

declare global {
  // For projects typed with @types/jest (the global `expect`).
  namespace jest {
    // biome-ignore lint/complexity/noBannedTypes: must repeat @types/jest's own declaration exactly.
    interface Matchers<R, T = {}> {
      toMatchReplay(options?: ReplayAssertionOptions): R
    }
  }
}
