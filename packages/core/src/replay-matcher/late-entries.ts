/**
 * A capture's late requests (engine/late.ts) in the replay summary: the
 * entries of the assertions on that capture say what happened after it
 * returned, so the summary and the JSON report agree with the failed test.
 */
import type { ReplayProblem } from '../engine/types.js'
import type { ReplayEntry } from '../replay-report/types.js'

/**
 * Add late problems to the entries of the run stored under `key`, in place:
 * a refused request makes the entry `diverged`; each problem joins its message.
 */
export function addLateProblems(
  entries: readonly ReplayEntry[],
  key: string,
  problems: readonly ReplayProblem[],
): void {
  const late = problems.filter((problem) => problem.type === 'late-request')
  if (late.length === 0) return
  for (const entry of entries) {
    if (entry.key !== key) continue
    if (late.some((problem) => problem.refused)) entry.status = 'diverged'
    entry.message = [entry.message, ...late.map((problem) => problem.message)].filter(Boolean).join('\n')
  }
}
