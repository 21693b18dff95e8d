/**
 * The recorded exchanges of a run, indexed for replay.
 *
 * A run's steps are grouped by correlation id into exchanges (one request and
 * its response or error, plus the tool steps derived from them). Matching takes
 * the next unused exchange with the same key: a per-key occurrence counter, so
 * repeated identical requests get their answers in recorded order, and
 * concurrent ones each get one, whatever order they complete in.
 */
import type { HttpRequestData, HttpResponseData, Run, Step } from '../artifact/types.js'

export interface RecordedExchange {
  /** Position among the run's exchanges. */
  position: number
  correlationId: string
  request: HttpRequestData
  response?: HttpResponseData
  error?: { message: string; code?: string }
  steps: Step[]
  used: boolean
}

/** Group a run's steps into exchanges, in order of first appearance. */
export function exchangesOf(run: Run): RecordedExchange[] {
  const byId = new Map<string, RecordedExchange>()
  const out: RecordedExchange[] = []
  for (const step of run.steps) {
    let exchange = byId.get(step.correlationId)
    if (!exchange) {
      exchange = {
        position: out.length,
        correlationId: step.correlationId,
        request: { method: 'GET', url: '', headers: {} },
        steps: [],
        used: false,
      }
      byId.set(step.correlationId, exchange)
      out.push(exchange)
    }
    exchange.steps.push(step)
    if (step.kind === 'http.request' || step.kind === 'model.request') exchange.request = step.request
    else if (step.kind === 'http.response' || step.kind === 'model.response') exchange.response = step.response
    else if (step.kind === 'error.event') {
      exchange.error = step.code === undefined ? { message: step.message } : { message: step.message, code: step.code }
    }
  }
  return out
}

export class RecordingIndex {
  readonly exchanges: RecordedExchange[]
  private readonly byKey = new Map<string, RecordedExchange[]>()

  constructor(run: Run, keyOf: (request: HttpRequestData) => string) {
    this.exchanges = exchangesOf(run)
    for (const exchange of this.exchanges) {
      const key = keyOf(exchange.request)
      const queue = this.byKey.get(key)
      if (queue) queue.push(exchange)
      else this.byKey.set(key, [exchange])
    }
  }

  /** The next unused exchange recorded for this key, marked used. */
  take(key: string): RecordedExchange | undefined {
    const queue = this.byKey.get(key)
    if (!queue) return undefined
    const exchange = queue.find((candidate) => !candidate.used)
    if (exchange) exchange.used = true
    return exchange
  }

  /**
   * The unused exchange most like this request (same method and URL path, then
   * same method), so a miss can be reported as "changed" against it.
   */
  nearest(method: string, url: string): RecordedExchange | undefined {
    const path = urlPath(url)
    const unused = this.exchanges.filter((exchange) => !exchange.used)
    return (
      unused.find((e) => e.request.method === method && urlPath(e.request.url) === path) ??
      unused.find((e) => e.request.method === method)
    )
  }

  unused(): RecordedExchange[] {
    return this.exchanges.filter((exchange) => !exchange.used)
  }
}

function urlPath(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.host}${parsed.pathname}`
  } catch {
    return url
  }
}
