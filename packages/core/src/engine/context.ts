/**
 * The capture context: everything one `capture(fn)` call collects, found
 * through AsyncLocalStorage so that concurrent captures in one process (e.g.
 * `test.concurrent`) never mix their exchanges or their time/random draws.
 *
 * A process-wide session (the CLI's `replaykit record -- node app.js`) has no
 * async scope of its own: it is the fallback when no capture is active.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { HttpRequestData, HttpResponseData, Run } from '../artifact/types.js'
import type { DrawTape } from '../determinism/index.js'
import type { Redactor } from '../redact/index.js'
import type { ClientWait } from './client-wait.js'
import type { KeyFunction } from './match-key.js'
import type { RecordedExchange, RecordingIndex } from './recording-index.js'
import { shared } from './runtime/runtime.js'
import type { ThreadMeter } from './thread-meter.js'
import type { Mode, Pacing, ReplayProblem } from './types.js'

/** One request seen during a capture, and what became of it. */
export interface LiveExchange {
  /** Arrival order in the capture. */
  order: number
  request: HttpRequestData
  response?: HttpResponseData
  error?: { message: string; code?: string }
  /** Where the answer came from. */
  source: 'live' | 'replay' | 'refused'
  /** The recorded exchange it was answered from, or compared with. */
  matched?: RecordedExchange
  startMs: number
  endMs?: number
  /** The thread's run-queue time (run-queue.ts) at startMs and endMs, when known. */
  queuedAtStart?: number
  queuedAtEnd?: number
  /**
   * Began while a client wait of the capture was open (a replayed `fetch`: the transport opens
   * the wait before the engine sees the request). Its time is that wait's, so runTiming leaves it
   * out and it takes no run-queue readings (each is a system call).
   */
  inWait?: boolean
  /** Started after the capture returned (late.ts). */
  late?: boolean
  /** Called once the live response is stored or has failed (late exchanges wait for it). */
  onSettled?: () => void
}

/** A live response body being recorded (live-response.ts). */
export interface LiveRead {
  /** performance.now() when its last chunk came. */
  lastChunkAt: number
  /** Settles once the body is read and stored. */
  done: Promise<void>
  /** Stop reading: what came so far is recorded as cut off, with this reason. */
  stop(reason: string): void
}

export interface CaptureContext {
  /** Process-unique: the tag on the capture's fetch calls (see request-tag.ts). */
  id: string
  mode: Mode
  pacing: Pacing
  /** The re-record command a refusal names (CaptureOptions.rerecord). */
  rerecord: string
  recording?: Run
  index?: RecordingIndex
  keyOf: KeyFunction
  redactor: Redactor
  tape?: DrawTape
  /** performance.now() when the capture began: step times are relative to it. */
  t0: number
  /** The thread's run-queue time when the capture began and when `fn` returned (run-queue.ts). */
  queued0?: number
  queuedMs?: number
  /**
   * The thread's CPU and idle time when the capture began and when `fn` returned (thread-meter.ts):
   * read at these two ends only, never per request (its CPU time moves in scheduler ticks).
   */
  meter0?: ThreadMeter
  meter1?: ThreadMeter
  exchanges: LiveExchange[]
  /** The code's HTTP clients waiting on requests, seen from the client (client-wait.ts): network time. */
  clientWaits: ClientWait[]
  /** Body reads still running (a streamed response is recorded while the client reads it). */
  liveReads: Set<LiveRead>
  /** Interceptor ids of live requests whose response has not come yet (live-response.ts). */
  liveIds: Set<string>
  problems: ReplayProblem[]
  /** Requests are matched in arrival order, even when their bodies take different times to read. */
  queue: Promise<void>
  /**
   * Set when `fn` has returned and the run is built: requests arriving from
   * now on are late (late.ts). The run is kept here so late exchanges that
   * complete before the seal can join it.
   */
  closed?: { run: Run; sealed: boolean }
  /**
   * Set when `fn` has returned, before the run is built (while its bodies settle). The
   * fetch-dispatcher transport leaves requests started from then on to MSW, which sees
   * them once the capture is closed, as late requests (transport/fetch-dispatcher.ts).
   */
  returned?: boolean
  /** Late requests refused, or not recorded: reported on the test, or on the summary once sealed. */
  lateProblems: ReplayProblem[]
  /** Live hosts let past `blockNetwork` while the capture runs (block-network.ts): released at its end. */
  permits: Array<() => void>
}

interface Contexts {
  storage: AsyncLocalStorage<CaptureContext>
  processSession: CaptureContext | undefined
  /**
   * Every capture by id, open or closed. A closed one is held weakly: code of
   * its async context that is still running (a timer, a pending promise)
   * keeps it alive through AsyncLocalStorage, and once nothing does, no
   * request can come from it and the entry goes.
   */
  byId: Map<string, WeakRef<CaptureContext> | CaptureContext>
  forget: FinalizationRegistry<string>
  lastId: number
}

// @note In the runtime (runtime/runtime.ts): two copies of core in one process (ESM and CJS) must
// find each other's captures, or one copy's requests pass the other's handler.
function contexts(): Contexts {
  return shared('captures', (): Contexts => {
    const byId: Contexts['byId'] = new Map()
    return {
      storage: new AsyncLocalStorage<CaptureContext>(),
      processSession: undefined,
      byId,
      forget: new FinalizationRegistry((id: string) => {
        const entry = byId.get(id)
        if (entry instanceof WeakRef && entry.deref() === undefined) byId.delete(id)
      }),
      lastId: 0,
    }
  })
}

export function nextContextId(): string {
  const all = contexts()
  all.lastId++
  return String(all.lastId)
}

/**
 * Make a capture findable by its id. The returned function closes it: the
 * capture stays findable (weakly) so that its late requests are still its own.
 */
export function openCapture(context: CaptureContext): () => void {
  const all = contexts()
  all.byId.set(context.id, context)
  return () => {
    all.byId.set(context.id, new WeakRef(context))
    all.forget.register(context, context.id)
  }
}

/** The capture with this id, open or closed; undefined once nothing of it is left. */
export function captureById(id: string): CaptureContext | undefined {
  const entry = contexts().byId.get(id)
  return entry instanceof WeakRef ? entry.deref() : entry
}

/** The capture the calling code runs in (also a closed one: its code may run on after it returned). */
export function currentContext(): CaptureContext | undefined {
  const all = contexts()
  return all.storage.getStore() ?? all.processSession
}

/** The capture the calling code runs in, if it is still running. */
export function openContext(): CaptureContext | undefined {
  const context = currentContext()
  return context && !context.closed ? context : undefined
}

export function runInContext<T>(context: CaptureContext, fn: () => T): T {
  return contexts().storage.run(context, fn)
}

/** Make a context the fallback for code running outside any capture (the whole process). */
export function setProcessSession(context: CaptureContext | undefined): void {
  contexts().processSession = context
}

export function elapsed(context: CaptureContext): number {
  return Math.round((performance.now() - context.t0) * 1000) / 1000
}
