/**
 * Which test a `capture` call belongs to.
 *
 * @note Vitest's global `expect.getState().currentTestName` is wrong inside
 * `test.concurrent`: it names whichever test started last. The setup file
 * wraps every test in `aroundEach` and enters an AsyncLocalStorage scope
 * there, so the test body, its hooks and everything they await see their own
 * test, concurrent or not.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { LateRequests, ReplayEntry } from '@replaykit/core'
import { lateRequestError } from '@replaykit/core/engine'
import { addLateProblems, shared } from '@replaykit/core/runner'

/** The `task.meta` key holding a test's replay entries (written by matcher.ts). */
export const META_RUNS = 'replaykitRuns'

/** The parts of Vitest's test task ReplayKit reads and writes. */
export interface ScopedTask {
  name: string
  fullTestName?: string
  file: { filepath: string }
  /** The describe block the test is in (the file, or none, at the top level). */
  suite?: { name: string; suite?: ScopedTask['suite']; filepath?: string }
  meta: Record<string, unknown>
}

export interface TestScope {
  task: ScopedTask
  /** A fresh object per attempt: retries and repeats count their runs again. */
  attempt: object
  /** The runs `capture` returned in this attempt: checked for `toMatchReplay` when it ends. */
  runs: object[]
  /** The captures of this attempt by run key, sealed when it ends (requests they make after that are late). */
  captures: Array<{ key: string; late: LateRequests }>
}

function storage(): AsyncLocalStorage<TestScope> {
  // @note In core's runtime (the one process-wide slot): the setup file and the user's import may load two copies of this module.
  return shared('vitest.test-scope', () => new AsyncLocalStorage<TestScope>())
}

/**
 * Run one attempt of a test inside its scope, then seal its captures: a
 * request their code made after `capture(fn)` returned (refused in strict
 * mode, or not recorded) fails the test.
 */
export async function runInTest(task: ScopedTask, fn: (scope: TestScope) => unknown): Promise<void> {
  const scope: TestScope = { task, attempt: {}, runs: [], captures: [] }
  const seal = () =>
    scope.captures.flatMap(({ key, late }) => {
      const problems = late.seal()
      // The summary says it too: the entries of this run's assertions (see matcher.ts).
      addLateProblems((task.meta[META_RUNS] as ReplayEntry[] | undefined) ?? [], key, problems)
      return problems
    })
  try {
    await storage().run(scope, () => fn(scope))
  } catch (error) {
    seal()
    throw error
  }
  const error = lateRequestError(seal(), `test "${fullNameOf(task)}"`)
  if (error) throw error
}

/** The test the caller runs in, if any. */
export function currentTest(): TestScope | undefined {
  return storage().getStore()
}

/** The full test name as Vitest prints it (describe blocks joined with ` > `), for messages. */
export function fullNameOf(task: ScopedTask): string {
  return task.fullTestName ?? task.name
}

/**
 * The test's name path: its describe blocks, outermost first, then its name.
 * Run keys are built from it (core's `runName`), so `describe('x') > test('y > z')`
 * and `describe('x > y') > test('z')`, the same full name, get different keys.
 */
export function namePathOf(task: ScopedTask): string[] {
  const path = [task.name]
  // @note The file task has a `filepath`; it is not part of the name (as in Vitest's fullTestName).
  for (let suite = task.suite; suite && suite.filepath === undefined; suite = suite.suite) path.unshift(suite.name)
  return path
}
