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
  meta: Record<string, unknown>
}

export interface TestScope {
  task: ScopedTask
  /** A fresh object per attempt: retries and repeats count their runs again. */
  attempt: object
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
export function runInTest<T>(task: ScopedTask, fn: () => T): T {
  return storage().run({ task, attempt: {} }, fn)
}

/** The test the caller runs in, if any. */
export function currentTest(): TestScope | undefined {
  return storage().getStore()
}

/** The full test name as Vitest builds it (describe blocks joined with ` > `). */
export function fullNameOf(task: ScopedTask): string {
  return task.fullTestName ?? task.name
}
