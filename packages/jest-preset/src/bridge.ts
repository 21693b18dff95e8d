/**
 * The environment's side of the bridge (outer realm): captures, assertions and
 * the replay entries of one test file.
 */
import {
  assertReplay,
  captureDefaults,
  captureReplay,
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
}

export function createBridge(input: BridgeInput): FileBridge {
  const entries: ReplayEntry[] = []
  const defaults = captureDefaults(input.config)
  const color = terminalColors()
  return {
    entries,
    capture(fn, options, test) {
      return captureReplay(fn, {
        file: replayFileFor(input.testFile, input.update),
        testName: test.name,
        attempt: test.attempt,
        defaults,
        ...(options ? { options } : {}),
      })
    },
    assert(received, options) {
      const verdict = assertReplay(received, options, { root: input.root, runner: 'jest', color })
      entries.push(verdict.entry)
      return { pass: verdict.pass, message: () => verdict.message }
    },
  }
}
