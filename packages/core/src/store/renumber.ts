/**
 * Correlation ids of a run stored by an update run (`--update-replays`).
 *
 * @note An update replays what still matches and sends the rest live, and the
 * engine numbers live exchanges after the recording's (`x7`, `x8`) so that they
 * never clash with a recorded id. Stored as they are, those ids would differ
 * from what a fresh recording of the same traffic says (`x1`, `x2`), and every
 * later re-recording would churn them. Renumbered in order of first appearance,
 * as a recording numbers them, the stored run reads as if recorded fresh.
 */
import type { Run } from '../artifact/types.js'

/** The run with its correlation ids renumbered `x1`, `x2`, … in order of first appearance. */
export function renumberCorrelationIds(run: Run): Run {
  const ids = new Map<string, string>()
  const steps = run.steps.map((step) => {
    let id = ids.get(step.correlationId)
    if (id === undefined) {
      id = `x${ids.size + 1}`
      ids.set(step.correlationId, id)
    }
    return id === step.correlationId ? step : { ...step, correlationId: id }
  })
  return steps.every((step, i) => step === run.steps[i]) ? run : { ...run, steps }
}
