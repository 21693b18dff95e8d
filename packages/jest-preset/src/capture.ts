/**
 * `capture(fn, options?)` for Jest tests. Runs inside the test sandbox and
 * hands the work to the environment through the bridge.
 */
// @note The error family's own entry: small and without side effects, so the sandbox loads it
// alone (not the engine) and its errors carry the same codes as everywhere else.
import { UsageError } from '@replaykit/core/errors'
import type { ReplayCaptureOptions, ReplayRun } from '@replaykit/core/runner'
import { BRIDGE_KEY, type JestBridge } from './bridge-types.js'
import { type CircusEntry, testNamePath } from './test-name.js'

interface ExpectState {
  currentTestName?: string
  currentTestIdentity?: () => CircusEntry | undefined
}

type Sandbox = typeof globalThis & {
  [BRIDGE_KEY]?: JestBridge
  expect?: { getState(): ExpectState }
}

/**
 * Run `fn` with every HTTP request it makes intercepted, and return the run
 * (steps, timing, and the value `fn` returned or the error it threw) for
 * `expect(run).toMatchReplay()`. The first run of a test records; later runs
 * replay from `__snapshots__/<test file>.rpk` (strict by default).
 *
 * @example
 * test('agent answers', async () => {
 *   const run = await capture(() => agent.ask('weather in Oslo?'))
 *   expect(run).toMatchReplay()
 * })
 */
export function capture<T>(fn: () => T | Promise<T>, options?: ReplayCaptureOptions): Promise<ReplayRun<T>> {
  const sandbox = globalThis as Sandbox
  const bridge = sandbox[BRIDGE_KEY]
  if (!bridge) {
    return Promise.reject(
      new UsageError('Failed to capture: the ReplayKit test environment is not active.', {
        hint: "set preset: '@replaykit/jest' in the Jest config (or testEnvironment: '@replaykit/jest/environment').",
      }),
    )
  }
  // jest-circus tracks the running test in AsyncLocalStorage: right even inside test.concurrent.
  const state = sandbox.expect?.getState()
  const test = state?.currentTestIdentity?.()
  if (!test && !state?.currentTestName) {
    return Promise.reject(
      new UsageError(
        'Failed to capture: capture() ran outside a test (in a beforeAll or at module level), so there is no test to store the run under.',
        { hint: 'call capture() inside test(...) or a beforeEach/afterEach hook.' },
      ),
    )
  }
  const ref = test
    ? { path: testNamePath(test), test, attempt: test.invocations ?? 0 }
    : { path: [state?.currentTestName ?? ''], attempt: 0 }
  return bridge.capture(fn, options, ref)
}
