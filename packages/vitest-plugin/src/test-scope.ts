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
}

const KEY = Symbol.for('replaykit.vitest.test-scope')
type Registry = typeof globalThis & { [KEY]?: AsyncLocalStorage<TestScope> }

function storage(): AsyncLocalStorage<TestScope> {
  // @note Shared through globalThis: the setup file and the user's import may load two copies of this module.
  const registry = globalThis as Registry
  registry[KEY] ??= new AsyncLocalStorage<TestScope>()
  return registry[KEY]
}

/** Run one attempt of a test inside its scope. */
export function runInTest<T>(task: ScopedTask, fn: (scope: TestScope) => T): T {
  const scope: TestScope = { task, attempt: {}, runs: [] }
  return storage().run(scope, () => fn(scope))
}

/** The test the caller runs in, if any. */
export function currentTest(): TestScope | undefined {
  return storage().getStore()
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
