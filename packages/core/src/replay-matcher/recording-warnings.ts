/**
 * What a newly recorded run should not hold without a word: a request that got
 * no answer (`error.event`: connection refused, reset, DNS) or a 5xx answer.
 * Stored as a baseline, such a run replays the outage forever, and a test that
 * tolerates the failure passes on it.
 *
 * @note A connection refused before any byte was sent can leave no step at all
 * (the SDK only reports `Connection error.`), so an outcome that reads as a
 * network failure is reported too: the SDKs' and Node's own wording, nothing looser.
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
  const failure = networkFailureIn(run)
  if (failure && !problems.some((p) => p.includes('no response'))) problems.push(`the code ${failure}`)
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

// Node's fetch and socket errors, and the SDKs' wording for them (OpenAI and Anthropic: "Connection error.").
const NETWORK_FAILURE =
  /\b(?:Connection error\.|fetch failed|ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|socket hang up)/

/** How the outcome shows a network failure: a thrown error or a returned string in the SDKs' or Node's words. */
function networkFailureIn(run: Run): string | undefined {
  const outcome = run.outcome
  if (outcome.type === 'throw' && NETWORK_FAILURE.test(outcome.error.message)) {
    return `threw ${outcome.error.name}: ${outcome.error.message}`
  }
  if (outcome.type === 'return' && typeof outcome.value === 'string' && NETWORK_FAILURE.test(outcome.value)) {
    return `returned ${JSON.stringify(outcome.value.slice(0, 120))}`
  }
  return undefined
}
