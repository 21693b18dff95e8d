/**
 * `expect(run).toMatchReplay(options?)`: the Vitest face of core's
 * `assertReplay`. The verdict goes onto the test's `task.meta`, where the
 * reporter in the main process reads it.
 */
import type { ReplayEntry } from '@replaykit/core'
import { assertReplay, type ReplayAssertionOptions } from '@replaykit/core/runner'
import { META_RUNS } from './test-scope.js'
import { ownerOf, workerConfig } from './worker-state.js'

export { META_RUNS }

export interface MatcherResult {
  pass: boolean
  message: () => string
}

/** The matcher function registered with `expect.extend`. */
export function toMatchReplay(received: unknown, options?: ReplayAssertionOptions): MatcherResult {
  const { root, color } = workerConfig()
  const verdict = assertReplay(received, options, { root, runner: 'vitest', color })
  const task = ownerOf(received)
  if (task) {
    const entries = (task.meta[META_RUNS] as ReplayEntry[] | undefined) ?? []
    task.meta[META_RUNS] = [...entries, verdict.entry]
  }
  // @note In the test's output (Vitest shows a test's console lines with it), and in the reporter's summary.
  for (const line of verdict.warnings ?? []) console.warn(line)
  return { pass: verdict.pass, message: () => verdict.message }
}
