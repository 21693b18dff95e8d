/**
 * Writing the exchanges a stopped listener left in flight (in-flight.ts) into
 * its artifact, each as what it was: the request that came, then an
 * `error.event` with code RPK_GATEWAY_INTERRUPTED saying whether its answer had
 * begun. Never lost, and never replayed as if complete: a replay answers such
 * a request with the failure it got (a provider-shaped 502), a strict replay
 * of a later run never takes it for an answer.
 *
 * An exchange whose steps are in the artifact already (written just before the
 * kill, its end note not yet) is complete and left as it is.
 */
import { existsSync, rmSync } from 'node:fs'
import type { RpkFile, Step } from '../artifact/types.js'
import { exchangeSteps } from '../engine/exchange-steps.js'
import { JournalStore } from '../store/journal-store.js'
import { inFlightPathFor, type LeftInFlight, readInFlight } from './in-flight.js'
import { shareParts } from './shared-parts.js'

/** The code of the error.event an interrupted exchange ends with. */
export const INTERRUPTED_CODE = 'RPK_GATEWAY_INTERRUPTED'

const ENDED = new Set<Step['kind']>(['model.response', 'http.response', 'error.event'])

/**
 * Append the exchanges `<out>.inflight` leaves open to their runs in `store`
 * (which holds the lock), then remove the file. `blobs`: the shared parts in
 * the file already, added to as parts are written. Returns how many were written, and the runs they went to.
 */
export function recoverInFlight(
  store: JournalStore,
  stored: RpkFile | undefined,
  blobs: Set<string>,
): { interrupted: number; runs: Set<string> } {
  const path = inFlightPathFor(store.path)
  const left = readInFlight(path)
  const nextSeq = new Map<string, number>()
  const runs = new Set<string>()
  let interrupted = 0
  for (const flight of left) {
    const run = stored?.runs[flight.key]
    if (run?.steps.some((step) => step.correlationId === flight.correlationId && ENDED.has(step.kind))) continue
    const seq = nextSeq.get(flight.key) ?? (run?.steps.at(-1)?.seq ?? -1) + 1
    const steps = exchangeSteps({
      request: flight.request,
      error: { message: interruptedMessage(flight), code: INTERRUPTED_CODE },
      correlationId: flight.correlationId,
      seq,
      timing: { startMs: flight.startMs },
    })
    // The note holds the large parts as references already: the file has them, or the note brought them.
    const shared = shareParts(steps, blobs)
    for (const [hash, body] of Object.entries(flight.blobs)) if (!blobs.has(hash)) shared.blobs[hash] = body
    store.append(flight.key, shared.steps, shared.blobs)
    for (const hash of Object.keys(shared.blobs)) blobs.add(hash)
    nextSeq.set(flight.key, seq + steps.length)
    runs.add(flight.key)
    interrupted++
  }
  rmSync(path, { force: true })
  return { interrupted, runs }
}

/**
 * For `replaykit listen status`/`stop`/`start`, which find a listener killed:
 * recover the journal it left and write its in-flight exchanges as interrupted,
 * under the artifact's lock (the killed listener's is stale and taken over).
 * Returns how many were written; 0 with nothing to do.
 */
export function recoverRecording(out: string): { interrupted: number } {
  if (!existsSync(inFlightPathFor(out))) return { interrupted: 0 }
  const store = new JournalStore(out, { onWarning: () => {}, lock: { timeoutMs: 1_000 } })
  store.hold()
  try {
    store.recover()
    const stored = store.read()
    return { interrupted: recoverInFlight(store, stored, new Set(Object.keys(stored?.blobs ?? {}))).interrupted }
  } finally {
    store.release()
  }
}

function interruptedMessage(flight: LeftInFlight): string {
  const what = `${flight.request.method} ${pathOf(flight.request.url)}`
  const state =
    flight.status === undefined
      ? 'before any answer had begun'
      : `after its answer had begun (status ${flight.status}), which was cut`
  return `interrupted: the listener stopped (killed, or its machine went down) while ${what} was in flight, ${state}; started ${flight.startedAt}. Not a complete exchange: a replay answers it as the failure it was.`
}

function pathOf(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.pathname}${parsed.search}`
  } catch {
    return url
  }
}
