/**
 * The end-of-test check both runners make: every run `capture()` returned
 * should reach `expect(run).toMatchReplay()`.
 *
 * A run never judged is handled like this (docs/modes.md):
 * - recorded (a local run, or an update): still stored, so the next replay of
 *   the test works, with a warning that nothing checks it;
 * - replayed, and the replay served every request: a warning;
 * - replayed, and the replay could not serve it (no recording in CI, or
 *   requests not in the recording were refused): the test fails with
 *   ReplayKit's reason, which the user's own assertion cannot give.
 * The key goes into the file's report entry (`unasserted`) either way.
 */
import { relative } from 'node:path'
import { strategyOf } from '../engine/recorder/modes.js'
import { ReplayMissError } from '../errors/classes.js'
import type { ReplayKitError } from '../errors.js'
import type { RunnerName } from '../store/update-state.js'
import { failedCallWarnings } from './recording-warnings.js'
import { captureRecordOf } from './replay-run.js'

export interface UnassertedResult {
  /** One line per run never judged, for the test's output. */
  warnings: string[]
  /** Fails the test: a run never judged whose replay could not be served. */
  error?: ReplayKitError
}

/** Check the runs one test captured (in capture order) when the test ends. */
export function checkUnasserted(
  runs: readonly unknown[],
  context: { root: string; runner: RunnerName },
): UnassertedResult {
  const warnings: string[] = []
  const broken: string[] = []
  let file: string | undefined
  for (const run of runs) {
    const record = captureRecordOf(run)
    if (!record || record.asserted) continue
    record.asserted = true
    const { plan, result } = record
    file = relative(context.root, record.file.testFile).split('\\').join('/')
    record.file.markUnasserted(plan.key)
    const stored = strategyOf(result.mode).records && record.file.update !== 'none'
    if (stored) {
      record.file.store(plan.key, result.run)
      warnings.push(...failedCallWarnings(result.run, plan.key))
    }
    const refused = result.problems.filter((p) => p.type === 'unmatched-request')
    const reason = plan.missing
      ? `it has no recording in ${relative(context.root, record.file.rpkPath).split('\\').join('/')} and this run may not record (CI), so no request was let out`
      : refused.length > 0
        ? `${refused.length} request(s) not in the recording were refused: ${refused.map((p) => `${p.method} ${p.url}`).join(', ')}`
        : undefined
    if (reason) broken.push(`"${plan.key}": ${reason}`)
    warnings.push(
      `[ReplayKit] capture() in "${plan.name}" returned a run ("${plan.key}") that was never passed to expect(run).toMatchReplay(): ${
        stored ? 'it was recorded, but nothing checks it' : 'nothing checked it against the recording'
      }. Add expect(run).toMatchReplay() after the capture.`,
    )
  }
  if (broken.length === 0) return { warnings }
  const error = new ReplayMissError(
    `Failed to replay ${broken.length === 1 ? 'a run' : `${broken.length} runs`} never passed to toMatchReplay(): ${broken.join('; ')}. Your own assertions saw what the code did without these answers.`,
    {
      ...(file ? { file } : {}),
      hint: `add expect(run).toMatchReplay() after capture() so the cause is reported; record the run locally (${context.runner === 'vitest' ? 'npx vitest run' : 'npx jest'} <test file>) and commit the .rpk.`,
    },
  )
  return { warnings, error }
}
