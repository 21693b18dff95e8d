/**
 * Turning what a capture saw into a `Run`: exchanges become typed steps (model,
 * tool or http), ordered so that a replay lines up with its recording.
 *
 * @note In strict and hybrid mode, exchanges answered from the recording take
 * the recorded position and correlation id, so concurrent requests that
 * finished in another order still compare equal step by step; requests with no
 * match sit after the exchange that came before them. In live-compare mode every
 * exchange is live, and takes the place of the recorded one it is paired with
 * (pair-live.ts), so an unchanged provider gives the recorded ids and order.
 */
import type { RunOutcome, RunTiming, Step } from '../artifact/types.js'
import type { Redactor } from '../redact/redactor.js'
import type { CaptureContext, LiveExchange } from './context.js'
import { exchangeSteps } from './exchange-steps.js'
import { outcomeJson } from './outcome-json.js'
import { pairLiveExchanges } from './pair-live.js'
import { strategyOf } from './recorder/modes.js'
import { metered } from './thread-meter.js'

export function buildSteps(context: CaptureContext): Step[] {
  const recordedCount = context.index?.exchanges.length ?? 0
  let extra = 0
  let previous = -1
  const paired =
    // A mode judged against live traffic pairs each live exchange with its recorded one.
    strategyOf(context.mode).judges === 'live' && context.index
      ? pairLiveExchanges(context.exchanges, context.index.exchanges, context.keyOf)
      : undefined
  const placed = context.exchanges.map((exchange) => {
    let position: number
    let correlationId: string
    const matched = exchange.matched ?? paired?.get(exchange)
    if (matched) {
      position = matched.position
      correlationId = matched.correlationId
      previous = position
    } else {
      position = previous + 0.5
      extra++
      correlationId = `x${recordedCount + extra}`
    }
    return { exchange, position, correlationId }
  })
  if (context.index) placed.sort((a, b) => a.position - b.position || a.exchange.order - b.exchange.order)
  const steps: Step[] = []
  for (const { exchange, correlationId } of placed) {
    const request =
      exchange.matched && exchange.source === 'replay'
        ? // Matching ignores headers, so the comparison does too: keep the recorded ones.
          { ...exchange.request, headers: exchange.matched.request.headers }
        : exchange.request
    const input: Parameters<typeof exchangeSteps>[0] = {
      request,
      correlationId: context.index ? correlationId : `x${exchange.order + 1}`,
      seq: steps.length,
      timing: timingOf(exchange),
    }
    if (exchange.response) input.response = exchange.response
    if (exchange.error) input.error = exchange.error
    for (const step of exchangeSteps(input)) steps.push(redactDerived(step, context.redactor))
  }
  return steps
}

/**
 * The parts of a step that adapters derive from the redacted exchange, redacted again: a key
 * split across stream deltas is whole only once the deltas are joined into the answer text, and
 * tool arguments are parsed from strings. Idempotent, so replayed steps come out the same.
 */
function redactDerived(step: Step, redactor: Redactor): Step {
  if (step.kind === 'model.response') {
    if (step.text !== undefined) step.text = redactor.text(step.text)
    if (step.toolCalls) {
      step.toolCalls = step.toolCalls.map((call) => ({ ...call, arguments: redactor.json(call.arguments) }))
    }
  } else if (step.kind === 'tool.request') {
    step.arguments = redactor.json(step.arguments)
  } else if (step.kind === 'tool.response') {
    step.output = redactor.json(step.output)
  } else if (step.kind === 'error.event') {
    step.message = redactor.text(step.message)
  }
  return step
}

function timingOf(exchange: LiveExchange): { startMs: number; durationMs?: number } {
  if (exchange.endMs === undefined) return { startMs: exchange.startMs }
  return { startMs: exchange.startMs, durationMs: round(Math.max(0, exchange.endMs - exchange.startMs)) }
}

/**
 * Total, network and own time. Network time is the union of the intervals in which the code's
 * HTTP clients waited on a request (client-wait.ts), overlaps counted once. An exchange the engine
 * saw that began outside every such wait (a client that publishes no diagnostics) counts with its
 * engine interval instead. Own time is what the thread did outside network time until `fn`
 * returned: its CPU time plus event-loop idle time over the whole run (thread-meter.ts), less
 * the network intervals' wall time but for the time the thread sat on a run queue in them
 * (run-queue.ts); so a loaded machine does not pass for slower code. Where Node has no thread CPU
 * time, the wall time outside the intervals less the run-queue time there.
 *
 * @note The thread's CPU time is read at the run's two ends only. Linux moves it in scheduler
 * ticks (4 ms here): a reading misses what the thread ran since its last tick or sleep. Read at
 * each interval's ends, a request's CPU time was mostly 0 or 4 ms, and a live request, which
 * sleeps in its wait, took in the code's work since the last tick: against a provider in another
 * process, unchanged code replayed at 1.8–4.7× its recorded own time.
 */
export function runTiming(context: CaptureContext, totalMs: number): RunTiming {
  const waits = context.clientWaits
  const seen = (ms: number) => waits.some((wait) => wait.startMs <= ms && ms <= (wait.endMs ?? totalMs))
  const intervals: Interval[] = [
    // @note Not the exchanges a client wait holds: the engine's copy of a live body may end after
    // the client has the answer and the code has moved on, and that time is the code's.
    ...context.exchanges
      .filter((exchange) => !exchange.inWait && !seen(exchange.startMs))
      .map((exchange) => ({
        start: exchange.startMs,
        end: exchange.endMs ?? exchange.startMs,
        queuedStart: exchange.queuedAtStart,
        queuedEnd: exchange.queuedAtEnd ?? exchange.queuedAtStart,
      })),
    // A wait still open when `fn` returned lasted until then (clipped below, readings too).
    ...waits.map((wait) => {
      const open = wait.endMs === undefined || wait.endMs > totalMs
      return {
        start: wait.startMs,
        end: wait.endMs ?? totalMs,
        queuedStart: wait.queuedAtStart,
        queuedEnd: open ? context.queuedMs : wait.queuedAtEnd,
      }
    }),
  ]
    .filter((interval) => interval.start < totalMs)
    .map((interval) => ({ ...interval, end: Math.min(interval.end, totalMs) }))
    .sort((a, b) => a.start - b.start)
  let networkMs = 0
  // Run-queue time inside network intervals; undefined once any interval lacks it.
  let networkQueued: number | undefined = 0
  let current: Interval | undefined
  const close = (interval: Interval) => {
    networkMs += interval.end - interval.start
    if (networkQueued === undefined || interval.queuedStart === undefined || interval.queuedEnd === undefined) {
      networkQueued = undefined
    } else networkQueued += Math.max(0, interval.queuedEnd - interval.queuedStart)
  }
  for (const interval of intervals) {
    if (!current || interval.start > current.end) {
      if (current) close(current)
      current = { ...interval }
    } else if (interval.end > current.end) {
      current.end = interval.end
      current.queuedEnd = interval.queuedEnd
    }
  }
  if (current) close(current)
  networkMs = Math.min(networkMs, totalMs)
  const wallOwn = Math.max(0, totalMs - networkMs)
  let ownMs = wallOwn
  if (context.meter0 && context.meter1) {
    // The thread's time in the intervals, run-queue time aside (none known: all of it).
    const networkThread = networkMs - Math.min(networkMs, networkQueued ?? 0)
    ownMs = Math.min(wallOwn, Math.max(0, metered(context.meter0, context.meter1) - networkThread))
  } else {
    const queued =
      context.queuedMs !== undefined && context.queued0 !== undefined ? context.queuedMs - context.queued0 : undefined
    if (queued !== undefined && networkQueued !== undefined) {
      ownMs = Math.max(0, ownMs - Math.max(0, queued - networkQueued))
    }
  }
  return { totalMs: round(totalMs), networkMs: round(networkMs), ownMs: round(ownMs) }
}

interface Interval {
  start: number
  end: number
  queuedStart: number | undefined
  queuedEnd: number | undefined
}

/**
 * The outcome of `fn` as JSON: its return value, or the error it threw, through the capture's
 * redactor like the traffic (a returned cookie, a `?key=` URL in an error message, a provider's
 * 401 body quoting the key are stored and printed as placeholders).
 */
export function outcomeOf(value: unknown, error: unknown, threw: boolean, redactor: Redactor): RunOutcome {
  if (threw) {
    // Duck-typed: errors from another realm (Jest's sandbox, vm contexts) are not `instanceof Error` here.
    const like = typeof error === 'object' && error !== null && typeof (error as Error).message === 'string'
    const name = like ? String((error as Error).name ?? 'Error') : typeof error
    const message = like ? (error as Error).message : String(error)
    return { type: 'throw', error: { name: redactor.text(name), message: redactor.text(message) } }
  }
  const json = outcomeJson(value)
  return json === undefined ? { type: 'return' } : { type: 'return', value: redactor.json(json) }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000
}
