/**
 * The gateway's artifact: every completed exchange appended as one journal
 * line (store/journal-store.ts) to the run of its client session, so a killed
 * listener leaves a loadable `.rpk` with every completed exchange in it.
 *
 * A write that fails never reaches the client: it becomes a `degraded` entry
 * of the status, and an `error.event` step written with the next exchange
 * that can be written.
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { Body, HttpRequestData, HttpResponseData, RpkCapture, Step } from '../artifact/types.js'
import { exchangeSteps } from '../engine/exchange-steps.js'
import { isReplayKitError } from '../errors.js'
import { findAdapter } from '../providers/registry.js'
import { JournalStore } from '../store/journal-store.js'
import { runKey } from '../store/run-key.js'
import { type Flight, InFlightLedger, inFlightPathFor } from './in-flight.js'
import { recoverInFlight } from './in-flight-recovery.js'
import { shareParts, shareRequest } from './shared-parts.js'

export interface RecordedInput {
  request: HttpRequestData
  response?: HttpResponseData
  error?: { message: string; code?: string }
  /** performance.now() when the request came, and when its answer ended. */
  startedAt: number
  endedAt: number
  /** From begin(): the exchange's correlation id, fixed when it started. */
  flight?: Flight
}

interface SessionRun {
  key: string
  t0: number
  nextSeq: number
  exchanges: number
  /** Faults to write as error.event steps with this run's next write. */
  pending: { message: string; code: string }[]
}

/** How long a new listener waits for the file's lock before RPK_LOCKED (a live writer holds it for its life). */
const LOCK_WAIT_MS = 1_000

export interface RotationOptions {
  maxSize?: number
  maxAge?: number
  keep?: number
}

export class GatewayRecording {
  private store: JournalStore
  private readonly runs = new Map<string, SessionRun>()
  /** Run keys already in the file (a restarted listener appends new runs beside them). */
  private taken = new Set<string>()
  private openedAt = Date.now()
  /** Hashes of the shared parts in the file already (shared-parts.ts). */
  private blobs = new Set<string>()
  /** The exchanges in flight, noted as they start (in-flight.ts). */
  private readonly ledger: InFlightLedger
  steps = 0
  /** Exchanges a stopped listener left in flight, written as interrupted when this one opened the file. */
  interrupted = 0

  constructor(
    readonly path: string,
    private readonly rotation: RotationOptions,
    private readonly onFault: (message: string) => void,
    /** The listener's mode and policy source, for the artifact's `meta.capture`. */
    private readonly capture?: RpkCapture,
  ) {
    this.store = this.open()
    // Only here, not when a rotation opens the next file: then the exchanges in flight are this listener's own.
    this.recoverLeftInFlight()
    this.ledger = new InFlightLedger(inFlightPathFor(path), onFault, noteRequest)
  }

  /**
   * An exchange starts: noted (with its request) so that a kill before it ends
   * leaves it to be written as interrupted. `status`: its answer begins at once.
   * Undefined when it cannot be noted (the fault is reported; the exchange goes on).
   */
  begin(session: string, request: HttpRequestData, startedAt: number, status?: number): Flight | undefined {
    try {
      const run = this.runOf(session, startedAt)
      return this.ledger.begin(run.key, `x${++run.exchanges}`, ms(startedAt - run.t0), request, this.blobs, status)
    } catch (error) {
      this.onFault(`in-flight note not written: ${reason(error)}`)
      return undefined
    }
  }

  /** The upstream's answer to an exchange in flight begins. */
  answered(flight: Flight, status: number): void {
    this.ledger.answered(flight, status)
  }

  /** The exchange is over, recorded or not. */
  end(flight: Flight): void {
    this.ledger.end(flight)
  }

  /** The number of runs written in this listener session. */
  get runCount(): number {
    return this.runs.size
  }

  /** Write one exchange to its session's run. */
  record(session: string, input: RecordedInput): void {
    // Before the write: the file written to always holds the latest exchanges (never left empty by a roll).
    this.rotateIfDue()
    const run = this.runOf(session, input.startedAt)
    // An adapter that cannot read a body: the exchange is kept raw, the fault is reported and written first.
    const adapterErrors: string[] = []
    const steps = exchangeSteps({
      request: input.request,
      ...(input.response ? { response: input.response } : {}),
      ...(input.error ? { error: input.error } : {}),
      correlationId: input.flight ? input.flight.correlationId : `x${++run.exchanges}`,
      // Numbered when written (write()): faults waiting to be written go first.
      seq: 0,
      timing: { startMs: ms(input.startedAt - run.t0), durationMs: ms(input.endedAt - input.startedAt) },
      onAdapterError: (message) => adapterErrors.push(message),
    })
    for (const message of adapterErrors) {
      this.onFault(message)
      run.pending.push({ message, code: 'RPK_GATEWAY_CAPTURE' })
    }
    const shared = shareParts(steps, this.blobs)
    const written = this.write(run, shared.steps, shared.blobs)
    // Its steps under its correlation id now say it is complete: its end needs no in-flight line.
    if (input.flight) input.flight.recorded = written
  }

  /** A capture-path fault of this session: an error.event step, and a degraded entry. */
  fault(session: string, message: string, code = 'RPK_GATEWAY_CAPTURE'): void {
    this.onFault(message)
    this.event(session, message, code)
  }

  /** An error.event step in this session's run (a replay miss: a divergence, not a fault of the gateway). */
  event(session: string, message: string, code: string): void {
    this.rotateIfDue()
    const run = this.runOf(session, performance.now())
    run.pending.push({ message, code })
    this.write(run, [])
  }

  /** Compact the journal into the `.rpk`, and give the file's lock back. */
  close(): void {
    try {
      // Nothing is in flight after a graceful close; what still is (cut by the close) is written as interrupted.
      this.ledger.close()
      if (this.ledger.inFlight > 0) recoverInFlight(this.store, this.store.read(), this.blobs)
    } catch (error) {
      this.onFault(`exchanges in flight at the close not written: ${reason(error)}`)
    }
    try {
      if (this.steps > 0 || existsSync(this.store.journalPath)) this.store.save()
    } catch (error) {
      this.onFault(`artifact save failed: ${reason(error)}`)
    } finally {
      this.store.release()
    }
  }

  /** True when the steps are in the journal. */
  private write(run: SessionRun, steps: Step[], blobs: Record<string, Body> = {}): boolean {
    const faults: Step[] = run.pending.map((fault, i) => ({
      seq: run.nextSeq + i,
      correlationId: `fault${run.nextSeq + i}`,
      kind: 'error.event',
      message: fault.message,
      code: fault.code,
    }))
    const all = [...faults, ...steps].map((step, i) => ({ ...step, seq: run.nextSeq + i }))
    if (all.length === 0) return true
    try {
      this.store.append(run.key, all, blobs)
      for (const hash of Object.keys(blobs)) this.blobs.add(hash)
      run.pending = []
      run.nextSeq += all.length
      this.steps += all.length
      return true
    } catch (error) {
      // Kept pending, with a note of the loss: written with the next exchange once the folder is writable again.
      const message = `journal write failed: ${reason(error)}`
      if (steps.length > 0)
        run.pending.push({ message: `${message} (an exchange was not recorded)`, code: 'RPK_GATEWAY_CAPTURE' })
      run.pending = run.pending.slice(-20)
      this.onFault(message)
      return false
    }
  }

  private runOf(session: string, at: number): SessionRun {
    let run = this.runs.get(session)
    if (!run) {
      const name = `listen ${session}`
      let index = 1
      while (this.taken.has(runKey(name, index))) index++
      run = { key: runKey(name, index), t0: at, nextSeq: 0, exchanges: 0, pending: [] }
      this.taken.add(run.key)
      this.runs.set(session, run)
    }
    return run
  }

  /**
   * Open the store: take the file's lock for the listener's life (each exchange
   * is then one append to an open journal), recover a journal a killed listener
   * left, note the runs already there.
   * @throws LockedError when another live process writes this file (a second listener on the same --out).
   */
  private open(): JournalStore {
    const store = new JournalStore(this.path, {
      onWarning: (warning) => this.onFault(`${warning.code}: ${warning.message}`),
      lock: { timeoutMs: LOCK_WAIT_MS },
      ...(this.capture ? { capture: this.capture } : {}),
    })
    try {
      store.hold()
    } catch (error) {
      if (isReplayKitError(error) && error.code === 'RPK_LOCKED') throw error
      // An unwritable folder: each write then tries (and fails, recorded as a fault) on its own.
      this.onFault(`artifact not lockable, recording may fail: ${reason(error)}`)
    }
    try {
      store.recover()
      const stored = store.read()
      this.taken = new Set(Object.keys(stored?.runs ?? {}))
      this.blobs = new Set(Object.keys(stored?.blobs ?? {}))
    } catch (error) {
      this.onFault(`artifact not readable, recording may fail: ${reason(error)}`)
    }
    return store
  }

  /** Write what a stopped listener left in flight (in-flight-recovery.ts); its runs stay its own. */
  private recoverLeftInFlight(): void {
    if (!existsSync(inFlightPathFor(this.path))) return
    try {
      const recovered = recoverInFlight(this.store, this.store.read(), this.blobs)
      this.interrupted = recovered.interrupted
      for (const key of recovered.runs) this.taken.add(key)
    } catch (error) {
      this.onFault(`exchanges left in flight not recovered: ${reason(error)}`)
    }
  }

  /** Roll to a numbered file once the artifact has passed `maxSize` bytes or `maxAge` ms. True when it rolled. */
  private rotateIfDue(): boolean {
    const { maxSize, maxAge } = this.rotation
    if (maxSize === undefined && maxAge === undefined) return false
    const size = fileSize(this.path) + fileSize(this.store.journalPath)
    if (size === 0) return false
    const due =
      (maxSize !== undefined && size >= maxSize) || (maxAge !== undefined && Date.now() - this.openedAt >= maxAge)
    if (!due) return false
    try {
      this.store.save()
      this.store.release()
      renameSync(this.path, numbered(this.path, nextNumber(this.path)))
      prune(this.path, this.rotation.keep)
    } catch (error) {
      this.onFault(`rotation failed: ${reason(error)}`)
      return false
    }
    // The sessions go on in the new file as new runs.
    // Correlation ids go on counting: an exchange in flight across the roll keeps the id it started with.
    for (const run of this.runs.values()) run.nextSeq = 0
    this.taken = new Set()
    this.blobs = new Set()
    this.openedAt = Date.now()
    this.store = this.open()
    // The exchanges recorded so far are in the numbered file: the in-flight notes keep only the open ones.
    this.ledger.rewrite(this.blobs)
    return true
  }
}

/**
 * A request as its in-flight note holds it: a model request with its large parts as references, as
 * its step will be recorded (and hashed once for both: shared-parts.ts); any other request as it is.
 */
function noteRequest(
  request: HttpRequestData,
  known: ReadonlySet<string>,
): { request: HttpRequestData; blobs: Record<string, Body> } {
  return findAdapter(request.method, request.url) ? shareRequest(request, known) : { request, blobs: {} }
}

/** `agent.rpk` → `agent.3.rpk`. */
export function numbered(path: string, n: number): string {
  return path.replace(/(\.rpk)?$/, `.${n}$1`)
}

/** The numbered files of `path`, oldest (lowest number) first. */
export function rotatedFiles(path: string): { file: string; n: number }[] {
  const dir = dirname(path)
  const stem = basename(path).replace(/\.rpk$/, '')
  const pattern = new RegExp(`^${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)\\.rpk$`)
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .map((name) => ({ name, match: pattern.exec(name) }))
    .filter((entry) => entry.match)
    .map((entry) => ({ file: join(dir, entry.name), n: Number(entry.match?.[1]) }))
    .sort((a, b) => a.n - b.n)
}

/** Remove the oldest numbered files beyond `keep`. Returns the removed files. */
export function prune(path: string, keep: number | undefined): string[] {
  if (keep === undefined) return []
  const files = rotatedFiles(path)
  const removed = files.slice(0, Math.max(0, files.length - keep)).map((entry) => entry.file)
  for (const file of removed) rmSync(file, { force: true })
  return removed
}

function nextNumber(path: string): number {
  return (rotatedFiles(path).at(-1)?.n ?? 0) + 1
}

function fileSize(path: string): number {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}

function ms(value: number): number {
  return Math.max(0, Math.round(value * 1000) / 1000)
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
