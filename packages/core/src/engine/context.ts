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
import type { KeyFunction } from './match-key.js'
import type { RecordedExchange, RecordingIndex } from './recording-index.js'
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
  recording?: Run
  index?: RecordingIndex
  keyOf: KeyFunction
  redactor: Redactor
  tape?: DrawTape
  /** performance.now() when the capture began: step times are relative to it. */
  t0: number
  exchanges: LiveExchange[]
  /** Body reads still running (a streamed response is recorded while the client reads it). */
  liveReads: Set<LiveRead>
  /** Interceptor ids of live requests whose response has not come yet (live-response.ts). */
  liveIds: Set<string>
  problems: ReplayProblem[]
  /** Requests are matched in arrival order, even when their bodies take different times to read. */
  queue: Promise<void>
}

const storage = new AsyncLocalStorage<CaptureContext>()
let processSession: CaptureContext | undefined
/** Captures still running, by id: a tagged request finds its capture here. */
const open = new Map<string, CaptureContext>()
let lastId = 0

export function nextContextId(): string {
  lastId++
  return String(lastId)
}

/** Make a capture findable by its id until the returned function is called. */
export function openCapture(context: CaptureContext): () => void {
  open.set(context.id, context)
  return () => {
    open.delete(context.id)
  }
}

/** The running capture with this id; undefined once it has finished. */
export function openCaptureById(id: string): CaptureContext | undefined {
  return open.get(id)
}

/** The capture the calling code runs in. */
export function currentContext(): CaptureContext | undefined {
  return storage.getStore() ?? processSession
}

export function runInContext<T>(context: CaptureContext, fn: () => T): T {
  return storage.run(context, fn)
}

/** Make a context the fallback for code running outside any capture (the whole process). */
export function setProcessSession(context: CaptureContext | undefined): void {
  processSession = context
}

export function elapsed(context: CaptureContext): number {
  return Math.round((performance.now() - context.t0) * 1000) / 1000
}
