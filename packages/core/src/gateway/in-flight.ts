/**
 * The exchanges in flight, written down as they start: `<out>.inflight`, one
 * JSON line when a request starts (its run, correlation id and redacted
 * request), one when the upstream's answer begins (its status), and one when an
 * exchange ends without being recorded. A listener killed mid-exchange leaves
 * the lines of every exchange it had not finished; the next start (or
 * `replaykit listen status`/`stop`/`start`, which find the killed listener)
 * writes each of them into the artifact as interrupted (in-flight-recovery.ts)
 * instead of losing it.
 *
 * @note An exchange that is recorded needs no line of its own to end it: its
 * steps in the journal, under its correlation id, say it is complete (recovery
 * checks them), which keeps the cost per exchange at one write (two when
 * forwarded live). The file is emptied when nothing is in flight once it passes
 * EMPTY_BYTES, and rewritten with only the open exchanges past COMPACT_BYTES or
 * when the artifact rolls to a new file (rewrite()), so it stays small.
 *
 * @note A separate file, not the journal: the journal's format and its readers stay as they are.
 */
import { closeSync, ftruncateSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs'
import type { Body, HttpRequestData } from '../artifact/types.js'

/** `agent.rpk` → `agent.rpk.inflight`. */
export function inFlightPathFor(rpkPath: string): string {
  return `${rpkPath}.inflight`
}

/** One exchange in flight: where its steps go once it ends. */
export interface Flight {
  readonly id: number
  readonly key: string
  readonly correlationId: string
  /** Set once its steps are in the journal: its end then needs no line. */
  recorded?: boolean
}

/** An exchange a stopped listener left in flight. */
export interface LeftInFlight {
  key: string
  correlationId: string
  /** When it started: ms since its run started, and the wall clock. */
  startMs: number
  startedAt: string
  /** With its large parts as `{ blob }` references (shared-parts.ts), found in the file or in `blobs`. */
  request: HttpRequestData
  /** The parts it references that the file did not hold when it started. */
  blobs: Record<string, Body>
  /** The status of the answer that had begun (and was cut); undefined when none had. */
  status?: number
}

/** How an exchange's request is noted: shared against the parts the file holds (`known`). */
export type ShareRequest = (
  request: HttpRequestData,
  known: ReadonlySet<string>,
) => { request: HttpRequestData; blobs: Record<string, Body> }

interface OpenFlight {
  head: { b: number; key: string; cid: string; t: number; at: string }
  /** The request as read (its parts inline): noted again, whole, when the artifact rolls to a new file. */
  request: HttpRequestData
  status?: number
}

/** Past this size the file is emptied the next time nothing is in flight. */
const EMPTY_BYTES = 256 * 1024
/** Past this size the file is rewritten with the open exchanges only. */
const COMPACT_BYTES = 4 * 1024 * 1024

export class InFlightLedger {
  private fd: number | undefined
  private size = 0
  private next = 1
  /** The open exchanges, to rewrite the file with. */
  private readonly open = new Map<number, OpenFlight>()
  private failed = false

  /**
   * `share`: how a request is noted (its large parts as references, so that an agent's system prompt
   * is not written with every exchange); `known`: the parts the file holds now.
   */
  constructor(
    readonly path: string,
    private readonly onFault: (message: string) => void,
    private readonly share: ShareRequest = (request) => ({ request, blobs: {} }),
  ) {}

  /** An exchange starts. `status`: its answer begins at once (a replayed or synthetic answer). */
  begin(
    key: string,
    correlationId: string,
    startMs: number,
    request: HttpRequestData,
    known: ReadonlySet<string>,
    status?: number,
  ): Flight {
    const flight: Flight = { id: this.next++, key, correlationId }
    const open: OpenFlight = {
      head: { b: flight.id, key, cid: correlationId, t: startMs, at: new Date().toISOString() },
      request,
    }
    if (status !== undefined) open.status = status
    this.open.set(flight.id, open)
    this.write(this.line(open, known))
    return flight
  }

  /** The upstream's answer begins: from now on a kill cuts an answer, not a wait. */
  answered(flight: Flight, status: number): void {
    const open = this.open.get(flight.id)
    if (open === undefined) return
    open.status = status
    this.write(`{"a":${flight.id},"status":${status}}\n`)
  }

  /** The exchange is over (recorded, or nothing to record): it is no longer in flight. */
  end(flight: Flight): void {
    if (!this.open.delete(flight.id)) return
    if (this.open.size === 0 && this.size > EMPTY_BYTES) this.empty()
    else if (this.size > COMPACT_BYTES) this.rewrite()
    else if (!flight.recorded) this.write(`{"e":${flight.id}}\n`)
  }

  /** Exchanges still open. */
  get inFlight(): number {
    return this.open.size
  }

  /** Close the file; removed when nothing is in flight (else it stays, for recovery to read). */
  close(): void {
    if (this.fd !== undefined) closeQuietly(this.fd)
    this.fd = undefined
    if (this.open.size === 0) rmSync(this.path, { force: true })
  }

  /** The begin line of an open exchange. */
  private line(open: OpenFlight, known: ReadonlySet<string>): string {
    const shared = this.share(open.request, known)
    const entry: Record<string, unknown> = { ...open.head, request: shared.request }
    if (Object.keys(shared.blobs).length > 0) entry.blobs = shared.blobs
    if (open.status !== undefined) entry.status = open.status
    return `${JSON.stringify(entry)}\n`
  }

  private write(line: string): void {
    try {
      this.fd ??= openSync(this.path, 'a', 0o600)
      this.size += writeSync(this.fd, line)
      this.failed = false
    } catch (error) {
      // Said once per run of failures: the exchange itself is still answered and recorded.
      if (!this.failed) this.onFault(`in-flight note not written (${this.path}): ${reason(error)}`)
      this.failed = true
    }
  }

  private empty(): void {
    if (this.fd === undefined) return
    try {
      // O_APPEND: the next line goes to the start of the emptied file.
      ftruncateSync(this.fd, 0)
      this.size = 0
    } catch (error) {
      this.onFault(`in-flight file not emptied (${this.path}): ${reason(error)}`)
    }
  }

  /**
   * Keep only the open exchanges: past COMPACT_BYTES, and when the artifact rolls to a new file (what
   * was recorded is in the numbered file now; `known` is then the new file's parts, none at first).
   */
  rewrite(known: ReadonlySet<string> = new Set()): void {
    if (this.fd === undefined && this.size === 0) return
    const temp = `${this.path}.tmp`
    try {
      const lines = [...this.open.values()].map((open) => this.line(open, known)).join('')
      const fd = openSync(temp, 'w', 0o600)
      try {
        writeSync(fd, lines)
      } finally {
        closeSync(fd)
      }
      renameSync(temp, this.path)
      if (this.fd !== undefined) closeQuietly(this.fd)
      this.fd = openSync(this.path, 'a', 0o600)
      this.size = Buffer.byteLength(lines)
    } catch (error) {
      this.onFault(`in-flight file not rewritten (${this.path}): ${reason(error)}`)
    }
  }
}

/** The exchanges the file at `path` leaves open, in the order they started; [] when there is none. */
export function readInFlight(path: string): LeftInFlight[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  const open = new Map<number, LeftInFlight>()
  // A torn last line (killed mid-write) does not parse and is left out: its exchange had barely begun.
  for (const line of text.split('\n')) {
    const entry = parse(line)
    if (!entry) continue
    if (typeof entry.b === 'number' && isBegin(entry)) {
      const left: LeftInFlight = {
        key: entry.key,
        correlationId: entry.cid,
        startMs: entry.t,
        startedAt: entry.at,
        request: entry.request,
        blobs: isRecord(entry.blobs) ? (entry.blobs as Record<string, Body>) : {},
      }
      if (typeof entry.status === 'number') left.status = entry.status
      open.set(entry.b, left)
    } else if (typeof entry.a === 'number' && typeof entry.status === 'number') {
      const left = open.get(entry.a)
      if (left) left.status = entry.status
    } else if (typeof entry.e === 'number') open.delete(entry.e)
  }
  return [...open.values()]
}

function parse(line: string): Record<string, unknown> | undefined {
  if (line === '') return undefined
  try {
    const value = JSON.parse(line) as unknown
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

function isBegin(entry: Record<string, unknown>): entry is {
  b: number
  key: string
  cid: string
  t: number
  at: string
  request: HttpRequestData
  status?: unknown
  blobs?: unknown
} {
  const request = entry.request as Partial<HttpRequestData> | undefined
  return (
    typeof entry.key === 'string' &&
    typeof entry.cid === 'string' &&
    typeof entry.t === 'number' &&
    typeof entry.at === 'string' &&
    typeof request?.method === 'string' &&
    typeof request.url === 'string'
  )
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd)
  } catch {
    // Closed already.
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
