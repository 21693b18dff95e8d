/**
 * Whether two steps are the same step: equal once the volatile parts
 * `stableStep` leaves out (timing, stream pacing) are left out, compared in
 * place instead of on `stableStep` copies, which on a long run would be
 * hundreds of thousands of short-lived objects.
 */
import type { Step, StreamDetail } from '../artifact/types.js'
import { sameJson } from './same-json.js'

const STEP_VOLATILE = ['timing']
const STREAMED_STEP_VOLATILE = ['timing', 'response']
const RESPONSE_STREAM = ['stream']
const STREAM_EVENTS = ['events']
const EVENT_VOLATILE = ['atMs']

/**
 * As `sameJson(stableStep(expected), stableStep(actual))`: true, false, or
 * undefined when not judged here (something JSON cannot hold, or a shape
 * `stableStep` would fail on); the caller then compares the canonical texts.
 */
export function sameStableSteps(expected: Step, actual: Step): boolean | undefined {
  const streamE = isStreamed(expected)
  const streamA = isStreamed(actual)
  if (!streamE && !streamA) return sameJson(expected, actual, STEP_VOLATILE)
  // Only one streamed (rare): the copies decide.
  if (!streamE || !streamA) return undefined
  const responseE = (expected as { response: { stream: StreamDetail } }).response
  const responseA = (actual as { response: { stream: StreamDetail } }).response
  // The step without timing and response, the response without stream, the stream without events, each event without atMs.
  let same = sameJson(expected, actual, STREAMED_STEP_VOLATILE)
  if (same === true) same = sameJson(responseE, responseA, RESPONSE_STREAM)
  if (same === true) same = sameJson(responseE.stream, responseA.stream, STREAM_EVENTS)
  if (same === true) same = sameEvents(responseE.stream.events, responseA.stream.events)
  return same
}

/** A response whose stream pacing `stableStep` leaves out. */
export function isStreamed(step: Step): boolean {
  return (step.kind === 'http.response' || step.kind === 'model.response') && Boolean(step.response.stream)
}

function sameEvents(expected: unknown, actual: unknown): boolean | undefined {
  // stableStep maps the events (and would throw on anything but objects in an array): leave those to it.
  if (!Array.isArray(expected) || !Array.isArray(actual)) return undefined
  if (expected.length !== actual.length) return false
  for (let i = 0; i < expected.length; i++) {
    const e: unknown = expected[i]
    const a: unknown = actual[i]
    if (typeof e !== 'object' || e === null || typeof a !== 'object' || a === null) return undefined
    const same = sameJson(e, a, EVENT_VOLATILE)
    if (same !== true) return same
  }
  return true
}
