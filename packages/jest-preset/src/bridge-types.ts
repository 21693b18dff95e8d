/**
 * The bridge between a Jest test file's sandbox and the test environment.
 *
 * @note MSW 3 is ESM-only and cannot be required inside Jest's module
 * sandbox. The test environment runs in the outer Node realm, where it loads
 * `@replaykit/core` (and MSW) normally, and puts this bridge on the sandbox's
 * global object. `capture` and the matcher, which run inside the sandbox,
 * only call the bridge: they never load core themselves.
 */

import type { ProviderAdapter } from '@replaykit/core'
import type { ReplayAssertionOptions, ReplayCaptureOptions, ReplayRun } from '@replaykit/core/runner'

/** The sandbox global the environment sets the bridge on. */
export const BRIDGE_KEY = '__replaykitJest'

/** Which test a capture belongs to. */
export interface TestRef {
  /** The test's name path: describe blocks, then the test (core's `runName` makes the run name). */
  path: string[]
  /** The jest-circus test entry: identifies the test (other tests with its name number on). */
  test?: object
  /** Identifies the attempt (jest.retryTimes): runs are counted again per attempt. */
  attempt: unknown
}

export interface JestBridge {
  capture<T>(fn: () => T | Promise<T>, options: ReplayCaptureOptions | undefined, test: TestRef): Promise<ReplayRun<T>>
  assert(received: unknown, options: ReplayAssertionOptions | undefined): { pass: boolean; message: () => string }
  /** Core's `registerAdapter`, in the realm where the engine asks the adapters. */
  registerAdapter(adapter: ProviderAdapter): () => void
}
