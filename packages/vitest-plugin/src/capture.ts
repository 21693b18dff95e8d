/**
 * `capture(fn, options?)` for Vitest tests.
 */
import { UsageError } from '@replaykit/core/errors'
import {
  captureDefaults,
  captureRecordOf,
  captureReplay,
  type ReplayCaptureOptions,
  type ReplayRun,
  replayFileFor,
} from '@replaykit/core/runner'
import { currentTest, namePathOf } from './test-scope.js'
import { setOwner, workerConfig } from './worker-state.js'

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
export async function capture<T>(fn: () => T | Promise<T>, options?: ReplayCaptureOptions): Promise<ReplayRun<T>> {
  const scope = currentTest()
  if (!scope) {
    throw new UsageError(
      'Failed to capture: capture() ran outside a test (in a beforeAll or at module level), so there is no test to store the run under.',
      { hint: 'call capture() inside test(...) or a beforeEach/afterEach hook.' },
    )
  }
  const { config, update } = workerConfig()
  const run = await captureReplay(fn, {
    file: replayFileFor(scope.task.file.filepath, update),
    testPath: namePathOf(scope.task),
    test: scope.task,
    attempt: scope.attempt,
    defaults: captureDefaults(config),
    ...(options ? { options } : {}),
  })
  setOwner(run, scope.task)
  scope.runs.push(run)
  const record = captureRecordOf(run)
  if (record?.result.late) scope.captures.push({ key: record.plan.key, late: record.result.late })
  return run
}
