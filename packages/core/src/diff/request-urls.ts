/**
 * The request URL of an exchange, so a response step can be classed (and
 * described) by the URL it answered.
 *
 * Only differing steps need one, so URLs are found on demand instead of
 * remembered for every step of a long run: first a few steps back (a request
 * is usually just before its response), else from an index by correlation id
 * that is built once, forward, and only as far as asked.
 */
import type { Step } from '../artifact/types.js'

/** How far back to look before indexing: a request, its response and its tool steps sit together. */
const NEAR = 16

export type UrlOf = (correlationId: string) => string | undefined

export class RequestUrls {
  private readonly byId = new Map<string, string>()
  /** Positions below this are in `byId`. */
  private indexed = 0

  /** `stepAt(i)` is the step that stands at position i (the expected one, else the actual one). */
  constructor(private readonly stepAt: (position: number) => Step | undefined) {}

  /** The URL of the last request with this correlation id at or before `position`. */
  at(position: number, correlationId: string): string | undefined {
    const stop = Math.max(this.indexed, position - NEAR)
    for (let i = position; i >= stop; i--) {
      const url = requestUrl(this.stepAt(i), correlationId)
      if (url !== undefined) return url
    }
    for (; this.indexed <= position; this.indexed++) {
      const step = this.stepAt(this.indexed)
      if (step && isRequest(step)) this.byId.set(step.correlationId, step.request.url)
    }
    return this.byId.get(correlationId)
  }

  /** The lookup as of one position, for the report of the step there. */
  of(position: number): UrlOf {
    return (correlationId) => this.at(position, correlationId)
  }
}

function requestUrl(step: Step | undefined, correlationId: string): string | undefined {
  return step && isRequest(step) && step.correlationId === correlationId ? step.request.url : undefined
}

function isRequest(step: Step): step is Extract<Step, { kind: 'http.request' | 'model.request' }> {
  return step.kind === 'http.request' || step.kind === 'model.request'
}
