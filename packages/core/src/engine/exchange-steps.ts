/**
 * Turn one recorded exchange (a request and its response, or the error it got) into the
 * typed steps of a run: model and tool steps for a provider endpoint, `http.*` steps for
 * anything else.
 *
 * The request and response come in already redacted: nothing here looks at secrets.
 */
import type {
  ErrorEventStep,
  HttpRequestData,
  HttpResponseData,
  ModelResponseStep,
  Step,
  StepTiming,
} from '../artifact/types.js'
import { findAdapter } from '../providers/registry.js'
import type { AdapterMatch, RequestSummary, ResponseSummary } from '../providers/types.js'

export interface ExchangeInput {
  request: HttpRequestData
  /** The response, buffered or streamed. Absent when the request failed. */
  response?: HttpResponseData
  /** Why there is no response (network failure, refused by the engine). */
  error?: { message: string; code?: string }
  /** Shared by every step of this exchange. */
  correlationId: string
  /** Sequence number of the first step; the others follow consecutively. */
  seq: number
  /** When the request started (ms since the run started) and how long the answer took. */
  timing?: { startMs: number; durationMs?: number }
  /** Told when the adapter throws on a body (the steps keep the raw exchange all the same): the gateway reports it. */
  onAdapterError?: (message: string) => void
}

/**
 * The steps of one exchange, in order:
 * - provider endpoint: one `tool.response` per tool result the request sends back, the
 *   `model.request`, the `model.response` (or `error.event`), then one `tool.request` per
 *   tool call in the response;
 * - anything else: `http.request`, then `http.response` (or `error.event`).
 *
 * An error status (4xx/5xx) from a provider is still a `model.response`, holding the body
 * and no answer fields. Timing goes on the request step (`startMs`) and on the response or
 * error step (`startMs` and `durationMs`).
 *
 * @example exchangeSteps({ request, response, correlationId: 'x1', seq: 0 }) // [model.request, model.response]
 */
export function exchangeSteps(input: ExchangeInput): Step[] {
  const steps: Step[] = []
  let seq = input.seq
  const base = (timing?: StepTiming): { seq: number; correlationId: string; timing?: StepTiming } =>
    timing
      ? { seq: seq++, correlationId: input.correlationId, timing }
      : { seq: seq++, correlationId: input.correlationId }
  const requestTiming = input.timing ? { startMs: input.timing.startMs } : undefined
  const responseTiming = input.timing ? endTiming(input.timing) : undefined

  const match = findAdapter(input.request.method, input.request.url)
  if (!match) {
    steps.push({ ...base(requestTiming), kind: 'http.request', request: input.request })
    if (input.response) steps.push({ ...base(responseTiming), kind: 'http.response', response: input.response })
    else if (input.error) steps.push(errorStep(base(responseTiming), input.error))
    return steps
  }

  const { adapter, endpoint } = match
  const request = safeRequestSummary(match, input.request, input.onAdapterError)
  for (const result of request.toolResults) {
    const step: Step = { ...base(), kind: 'tool.response', callId: result.callId, output: result.output }
    if (result.isError !== undefined) step.isError = result.isError
    steps.push(step)
  }
  const modelRequest: Step = {
    ...base(requestTiming),
    kind: 'model.request',
    provider: adapter.provider,
    endpoint,
    stream: request.stream,
    request: input.request,
  }
  if (request.model !== undefined) modelRequest.model = request.model
  steps.push(modelRequest)

  if (!input.response) {
    if (input.error) steps.push(errorStep(base(responseTiming), input.error))
    return steps
  }
  // An error answer has no text or tool calls to read: its body says what went wrong.
  const summary = input.response.status >= 400 ? {} : safeResponseSummary(match, input.response, input.onAdapterError)
  const modelResponse: ModelResponseStep = {
    ...base(responseTiming),
    kind: 'model.response',
    provider: adapter.provider,
    ...summary,
    response: input.response,
  }
  steps.push(modelResponse)
  for (const call of summary.toolCalls ?? []) {
    steps.push({ ...base(), kind: 'tool.request', callId: call.id, name: call.name, arguments: call.arguments })
  }
  return steps
}

function endTiming(timing: { startMs: number; durationMs?: number }): StepTiming {
  return timing.durationMs === undefined
    ? { startMs: timing.startMs }
    : { startMs: timing.startMs, durationMs: timing.durationMs }
}

function errorStep(
  base: { seq: number; correlationId: string; timing?: StepTiming },
  error: { message: string; code?: string },
): ErrorEventStep {
  const step: ErrorEventStep = { ...base, kind: 'error.event', message: error.message }
  if (error.code !== undefined) step.code = error.code
  return step
}

/**
 * @note A body an adapter cannot read must never break a capture: the raw request and
 * response are kept in the steps whatever the summary says.
 */
function safeRequestSummary(
  match: AdapterMatch,
  request: HttpRequestData,
  onError?: (message: string) => void,
): RequestSummary {
  try {
    return match.adapter.summarizeRequest(match.endpoint, request)
  } catch (error) {
    onError?.(adapterError(match, 'request', error))
    return { stream: false, toolResults: [] }
  }
}

function safeResponseSummary(
  match: AdapterMatch,
  response: HttpResponseData,
  onError?: (message: string) => void,
): ResponseSummary {
  try {
    return match.adapter.summarizeResponse(match.endpoint, response)
  } catch (error) {
    onError?.(adapterError(match, 'response', error))
    return {}
  }
}

function adapterError(match: AdapterMatch, what: string, error: unknown): string {
  const why = error instanceof Error ? error.message : String(error)
  return `the ${match.adapter.provider} adapter failed to read the ${what} (${match.endpoint}): ${why}`
}
