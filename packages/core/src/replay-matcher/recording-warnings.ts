/**
 * What a newly recorded run should not hold without a word: a request that got
 * no answer (`error.event`: connection refused, reset, DNS) or a 5xx answer.
 * Stored as a baseline, such a run replays the outage forever, and a test that
 * tolerates the failure passes on it.
 */
import type { HttpRequestData, Run, Step } from '../artifact/types.js'

/** One line per failed call in `run`, for the test output and the report; empty when every call got a non-5xx answer. */
export function failedCallWarnings(run: Run, key: string): string[] {
  const urls = new Map<string, string>()
  const problems: string[] = []
  for (const step of run.steps) {
    const request = requestOf(step)
    if (request) urls.set(step.correlationId, `${request.method} ${request.url}`)
    const where = urls.get(step.correlationId) ?? `exchange ${step.correlationId}`
    if (step.kind === 'error.event') problems.push(`${where}: no response (${step.message})`)
    else if ((step.kind === 'http.response' || step.kind === 'model.response') && step.response.status >= 500) {
      problems.push(
        `${where}: HTTP ${step.response.status}${step.response.statusText ? ` ${step.response.statusText}` : ''}`,
      )
    }
  }
  if (problems.length === 0) return []
  return [
    `[ReplayKit] The recording of "${key}" holds ${problems.length} failed call(s); replays will repeat the failure as the baseline:`,
    ...problems.map((p) => `  - ${p}`),
    '  Fix: check the provider is up, then re-record this run (replaykit test --update-replays=all <test file> -t <test name>).',
  ]
}

function requestOf(step: Step): HttpRequestData | undefined {
  if (step.kind === 'http.request' || step.kind === 'model.request') return step.request
  return undefined
}
