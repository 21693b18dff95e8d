/**
 * `@replaykit/vitest`: snapshot regression tests for code that calls HTTP and
 * LLM APIs, in Vitest.
 *
 * @example
 * // vitest.config.ts: plugins: [replaykit()]
 * import { capture } from '@replaykit/vitest'
 * test('agent answers', async () => {
 *   const run = await capture(() => agent.ask('weather in Oslo?'))
 *   expect(run).toMatchReplay()
 * })
 */
import type { ReplayAssertionOptions } from '@replaykit/core/runner'
import { replaykit } from './plugin.js'

export type { Mode, ProviderAdapter } from '@replaykit/core'
export { registerAdapter } from '@replaykit/core'
export type {
  ReplayAssertionOptions,
  ReplayCaptureOptions,
  ReplayKitOptions,
  ReplayRun,
  SlowdownGate,
} from '@replaykit/core/runner'
export { capture } from './capture.js'
export { replaykit } from './plugin.js'
export type { ReplayKitReporterOptions } from './reporter.js'
export { ReplayKitReporter } from './reporter.js'

export default replaykit

declare module 'vitest' {
  interface Matchers<R, T> {
    /**
     * Record the run on first sight; afterwards compare it with the recording in
     * `__snapshots__/<test file>.rpk` and fail with a first-divergence report.
     * Options override the plugin's for this assertion.
     */
    toMatchReplay(options?: ReplayAssertionOptions): R
  }
}
