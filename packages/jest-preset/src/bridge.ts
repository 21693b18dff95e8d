/**
 * The environment's side of the bridge (outer realm): captures, assertions and
 * the replay entries of one test file.
 */
import { type LateRequests, type ReplayEntry, registerAdapter, terminalColors } from '@replaykit/core'
import {
  addLateProblems,
  assertReplay,
  captureDefaults,
  captureRecordOf,
  captureReplay,
  checkUnasserted,
  replayFileFor,
  type SerializedConfig,
  type UpdateState,
} from '@replaykit/core/runner'
import type { JestBridge } from './bridge-types.js'

export interface BridgeInput {
  testFile: string
  root: string
  update: UpdateState
  config: SerializedConfig
  /** Prints a warning in the test file's output (the sandbox's console). */
  warn: (line: string) => void
}

export interface FileBridge extends JestBridge {
  /** The entries of every assertion made in this test file so far. */
  readonly entries: ReplayEntry[]
  /**
   * A test ended (jest-circus `test_done`): warn about its runs never passed to
   * toMatchReplay, and return the error that fails it when one could not be replayed.
   */
  finishTest(test: object): Error | undefined
  /** Seal the captures of a test that ended (its circus entry): returns the problems of their late requests. */
  sealTest(test: object): ReturnType<LateRequests['seal']>
}

export function createBridge(input: BridgeInput): FileBridge {
  const entries: ReplayEntry[] = []
  const defaults = captureDefaults(input.config)
  const color = terminalColors()
  // @note Keyed by the circus test entry, the same object across retries: two tests with one name stay apart.
  const runsOf = new Map<unknown, unknown[]>()
  // The captures of each running test, sealed when the test is done.
  const captures = new Map<unknown, Array<{ key: string; late: LateRequests }>>()
  return {
    entries,
    async capture(fn, options, test) {
      const run = await captureReplay(fn, {
        file: replayFileFor(input.testFile, input.update),
        testPath: test.path,
        ...(test.test ? { test: test.test } : {}),
        attempt: test.attempt,
        defaults,
        ...(options ? { options } : {}),
      })
      const owner = test.test ?? test.path.join(' > ')
      runsOf.set(owner, [...(runsOf.get(owner) ?? []), run])
      const record = captureRecordOf(run)
      const late = record?.result.late
      if (record && late) captures.set(owner, [...(captures.get(owner) ?? []), { key: record.plan.key, late }])
      return run
    },
    sealTest(test) {
      const late = captures.get(test) ?? []
      captures.delete(test)
      return late.flatMap(({ key, late: requests }) => {
        const problems = requests.seal()
        // The summary says it too: the entries of this run's assertions.
        addLateProblems(entries, key, problems)
        return problems
      })
    },
    assert(received, options) {
      const verdict = assertReplay(received, options, { root: input.root, runner: 'jest', color })
      entries.push(verdict.entry)
      for (const line of verdict.warnings ?? []) input.warn(line)
      return { pass: verdict.pass, message: () => verdict.message }
    },
    registerAdapter,
    finishTest(test) {
      const runs = runsOf.get(test) ?? []
      runsOf.delete(test)
      const { warnings, error } = checkUnasserted(runs, { root: input.root, runner: 'jest' })
      for (const line of warnings) input.warn(line)
      return error
    },
  }
}
