/**
 * The environment's side of the bridge (outer realm): captures, assertions and
 * the replay entries of one test file.
 */
import {
  addLateProblems,
  assertReplay,
  captureDefaults,
  captureRecordOf,
  captureReplay,
  type LateRequests,
  type ReplayEntry,
  replayFileFor,
  type SerializedConfig,
  terminalColors,
  type UpdateState,
} from '@replaykit/core'
import type { JestBridge } from './bridge-types.js'

export interface BridgeInput {
  testFile: string
  root: string
  update: UpdateState
  config: SerializedConfig
}

export interface FileBridge extends JestBridge {
  /** The entries of every assertion made in this test file so far. */
  readonly entries: ReplayEntry[]
  /** Seal the captures of a test that ended: returns the problems of their late requests. */
  sealTest(name: string): ReturnType<LateRequests['seal']>
}

export function createBridge(input: BridgeInput): FileBridge {
  const entries: ReplayEntry[] = []
  const defaults = captureDefaults(input.config)
  const color = terminalColors()
  // The captures of each running test, by full name: sealed when the test is done.
  const captures = new Map<string, Array<{ key: string; late: LateRequests }>>()
  return {
    entries,
    async capture(fn, options, test) {
      const run = await captureReplay(fn, {
        file: replayFileFor(input.testFile, input.update),
        testName: test.name,
        attempt: test.attempt,
        defaults,
        ...(options ? { options } : {}),
      })
      const record = captureRecordOf(run)
      const late = record?.result.late
      if (record && late) captures.set(test.name, [...(captures.get(test.name) ?? []), { key: record.plan.key, late }])
      return run
    },
    sealTest(name) {
      const late = captures.get(name) ?? []
      captures.delete(name)
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
      return { pass: verdict.pass, message: () => verdict.message }
    },
  }
}
