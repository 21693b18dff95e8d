/**
 * `runCapture(fn, options)`: run code in its own capture context and return
 * what it did over HTTP as a `Run`, recording live traffic or answering it
 * from a recording depending on the mode.
 */

import type { Run } from '../artifact/types.js'
import { DrawTape, installDeterminism } from '../determinism/index.js'
import { matchedByPlugins } from '../plugins/match-key.js'
import { createRedactor } from '../redact/index.js'
import { buildSteps, outcomeOf, runTiming } from './build-run.js'
import { checkCaptureOptions } from './capture-options.js'
import { watchClientWaits } from './client-wait.js'
import {
  type CaptureContext,
  nextContextId,
  openCapture,
  openContext,
  runInContext,
  setProcessSession,
} from './context.js'
import { installInterception, keepInterceptionLast, needMsw } from './interception.js'
import { lateRequestsOf } from './late.js'
import { LINGER_MS } from './linger.js'
import { abandonLiveResponses, settleLiveReads } from './live-response.js'
import { createKeyFunction } from './match-key.js'
import { strategyOf } from './recorder/modes.js'
import { RecordingIndex } from './recording-index.js'
import { runQueueMs } from './run-queue.js'
import { interceptionControls } from './runtime/interception-slot.js'
import { copyId, hold, isHeld } from './runtime/runtime.js'
import { readMeter } from './thread-meter.js'
import { type CaptureOptions, type CaptureResult, captureOutcome, type Mode, type ReplayProblem } from './types.js'

/**
 * Run `fn` with every HTTP request it makes intercepted.
 *
 * @example
 * const result = await runCapture(() => agent.ask('weather in Oslo?'), { mode: 'strict', recording })
 * result.run.steps // model.request, model.response, tool.request, …
 */
export async function runCapture<T>(fn: () => T | Promise<T>, options: CaptureOptions = {}): Promise<CaptureResult<T>> {
  // Before anything is installed or sent: a mistyped mode must not become a live capture.
  checkCaptureOptions(options)
  const context = createContext(options)
  holdInterception(context.mode)
  const close = openCapture(context)
  const releaseDeterminism = options.determinism === false ? undefined : holdDeterminism()
  startClock(context)
  let value: T | undefined
  let error: unknown
  let threw = false
  try {
    try {
      value = await runInContext(context, fn)
    } catch (caught) {
      error = caught
      threw = true
    }
    const totalMs = stopClock(context)
    // Streams still being read (the code returned before consuming a body, or a body is still arriving).
    await settle(context)
    return finish(context, options, value, error, threw, totalMs)
  } finally {
    releaseDeterminism?.()
    close()
    for (const release of context.permits.splice(0)) release()
  }
}

/** A capture of everything the process does outside other captures (the CLI's `record -- cmd`). */
export interface CaptureSession {
  /** Stop capturing once pending response bodies are read, and build the run. */
  finish(): Promise<CaptureResult<undefined>>
  /**
   * Stop capturing now and build the run from what is complete: for `process.on('exit')`,
   * where nothing asynchronous can run. Bodies still arriving are left out.
   */
  finishNow(): CaptureResult<undefined>
}

export function startCaptureSession(options: CaptureOptions = {}): CaptureSession {
  checkCaptureOptions(options, 'startCaptureSession() options')
  const context = createContext(options)
  holdInterception(context.mode)
  const close = openCapture(context)
  const releaseDeterminism = options.determinism === false ? undefined : holdDeterminism()
  startClock(context)
  setProcessSession(context)
  const stop = () => {
    setProcessSession(undefined)
    releaseDeterminism?.()
    close()
    for (const release of context.permits.splice(0)) release()
  }
  return {
    async finish() {
      const totalMs = stopClock(context)
      await settle(context)
      stop()
      return finish(context, options, undefined, undefined, false, totalMs)
    },
    finishNow() {
      const totalMs = stopClock(context)
      abandonLiveResponses(context)
      stop()
      return finish(context, options, undefined, undefined, false, totalMs)
    },
  }
}

/**
 * Interception, once installed by the first capture, stays for the life of
 * the process: code a capture started may make requests at any later time
 * (late.ts), and each must reach the handler to be answered by its capture's
 * mode. Removed after an idle time, a strict capture's late request would go
 * out unseen.
 *
 * @note Between captures the handler lets every request through untouched, so
 * staying costs nothing but the interceptor's own pass (see docs/engine.md).
 */
function holdInterception(mode: Mode): void {
  watchClientWaits()
  // Held once for the process, by whichever copy of core captures first: never released.
  if (!isHeld('interception')) installInterception()
  // MSW (interception.ts): for a capture whose requests may go live, or that a user's MSW server may answer first.
  // A strict one needs it only for a connection, and the network guard puts it in at the first one.
  const controls = interceptionControls()
  if (strategyOf(mode).onMiss !== 'refuse' || controls.othersListening?.()) needMsw()
  keepInterceptionLast()
}

/** Time and random patches, kept for a moment between captures (linger.ts), whichever copy holds them. */
function holdDeterminism(): () => void {
  return hold('determinism', copyId(), () => installDeterminism(tapeOfCurrent), { lingerMs: LINGER_MS })
}

/** Draws go to the tape of a running capture only: a finished capture's code draws real values. */
function tapeOfCurrent(): DrawTape | undefined {
  return openContext()?.tape
}

function createContext(options: CaptureOptions): CaptureContext {
  const mode: Mode = options.mode ?? 'strict'
  const strategy = strategyOf(mode)
  const keyOf = matchedByPlugins(createKeyFunction(options.match))
  const context: CaptureContext = {
    id: nextContextId(),
    mode,
    pacing: options.pacing ?? 'instant',
    rerecord: options.rerecord ?? 'replaykit test --update-replays',
    keyOf,
    redactor: createRedactor(options.redact),
    t0: performance.now(),
    exchanges: [],
    clientWaits: [],
    liveReads: new Set(),
    liveIds: new Set(),
    problems: [],
    queue: Promise.resolve(),
    lateProblems: [],
    permits: [],
  }
  if (options.recording) context.recording = options.recording
  if (strategy.readsRecording && options.recording) context.index = new RecordingIndex(options.recording, keyOf)
  // A mode that refuses misses, with no recording: every request is a miss, and none leaves.
  if (strategy.onMiss === 'refuse' && !options.recording) context.index = new RecordingIndex(emptyRun(), keyOf)
  if (options.determinism !== false) {
    // Recorded time and random values are handed back in every mode that reads a recording but record:
    // in live-compare too, so a prompt holding a uuid or the date is the recorded request.
    const replayDraws = strategy.replaysDraws && options.recording !== undefined
    context.tape = replayDraws ? new DrawTape('replay', options.recording?.drawn ?? []) : new DrawTape('record')
  }
  return context
}

/**
 * Start the run's clock (and note the run-queue time, runTiming) just before `fn` runs.
 * @note Not when the context is made: the recording's index, the interception and the
 * time/random patches are ReplayKit's setup, done in replay only or differently, and
 * counted as the code's own time they made a replay look slower than its recording.
 */
function startClock(context: CaptureContext): void {
  context.t0 = performance.now()
  context.meter0 = readMeter()
  // The run's run-queue time is for the fallback alone (build-run.ts runTiming).
  if (!context.meter0) context.queued0 = runQueueMs()
}

/** The run's total time, ms; notes the run-queue time at the same moment (runTiming). */
function stopClock(context: CaptureContext): number {
  const totalMs = performance.now() - context.t0
  context.returned = true
  context.meter1 = readMeter()
  // @note Each reading is a system call (about 12 µs in a loaded worker): the run-queue time is
  // read here only for the fallback, or to end a client wait still open as `fn` returned.
  if (!context.meter1 || context.clientWaits.some((wait) => wait.endMs === undefined)) {
    context.queuedMs = runQueueMs()
  }
  return totalMs
}

async function settle(context: CaptureContext): Promise<void> {
  await context.queue
  await settleLiveReads(context)
  abandonLiveResponses(context)
}

function finish<T>(
  context: CaptureContext,
  options: CaptureOptions,
  value: T | undefined,
  error: unknown,
  threw: boolean,
  totalMs: number,
): CaptureResult<T> {
  const run: Run = {
    name: options.name ?? 'capture',
    index: options.index ?? 1,
    steps: buildSteps(context),
    outcome: outcomeOf(value, error, threw, context.redactor),
    timing: runTiming(context, totalMs),
  }
  const drawn = context.tape?.drawn ?? []
  if (drawn.length > 0) run.drawn = drawn
  const problems: ReplayProblem[] = [...context.problems]
  if (context.index && strategyOf(context.mode).reportsUnused) {
    for (const unused of context.index.unused()) {
      problems.push({
        type: 'unused-recording',
        seq: unused.position,
        method: unused.request.method,
        url: unused.request.url,
        message: `the recording has ${unused.request.method} ${unused.request.url} (exchange ${unused.position + 1}), which the code did not request this time`,
      })
    }
  }
  if (threw && refusedByOtherMsw(error)) {
    problems.push({
      type: 'failed-by-other-msw',
      message:
        "the code failed on a request your own MSW server refused before ReplayKit saw it: with `onUnhandledFrame: 'error'` MSW fails every request its handlers do not answer. Use `onUnhandledFrame: 'bypass'` (or 'warn') so ReplayKit answers the requests your handlers leave",
    })
  }
  const draws = context.tape?.problems()
  if (draws) {
    problems.push({
      type: 'draws',
      expected: draws.expected,
      actual: draws.actual,
      message: `the code drew ${draws.actual} time/random values where the recording has ${draws.expected}${
        draws.mismatched > 0 ? ` (${draws.mismatched} from a different source)` : ''
      }: values past the recording are real, not replayed`,
    })
  }
  // From here on, requests from this capture's code are late (late.ts).
  context.closed = { run, sealed: false }
  return { mode: context.mode, run, ...captureOutcome(value, error, threw), problems, late: lateRequestsOf(context) }
}

function emptyRun(): Run {
  return { name: '', index: 1, steps: [], outcome: { type: 'return' } }
}

/**
 * Whether the thrown error (or one of its causes) is msw 3's refusal of an
 * unhandled request (`onUnhandledFrame: 'error'`). That refusal happens in the
 * user's listener, which throws, so ReplayKit's handler after it never sees the
 * request: without this the report said the code did not make it.
 */
function refusedByOtherMsw(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    if (cause.message.includes('"onUnhandledFrame" option')) return true
  }
  return false
}
