/**
 * Process-wide interception, installed once at the first capture and held in
 * the runtime (runtime/runtime.ts), so that two copies of @replaykit/core in
 * one process (ESM and CJS, or two versions) share one interception instead
 * of answering each request twice.
 *
 * Two transports answer a capture's requests: strict replays of the global
 * `fetch` at undici's dispatcher (transport/fetch-dispatcher.ts), and
 * everything else through MSW (interceptor.ts). MSW costs a worker about half
 * of its setup to load and install, so it is put in only when something may
 * need it:
 *
 * - at a capture's start, when the capture may let a request through
 *   (record, hybrid, live-compare) or a user's MSW server listens (their
 *   handlers answer first, through MSW);
 * - at the first connection of the process after the first capture
 *   (transport/network-guard.ts): a node:http or undici request, a late
 *   request, anything the dispatcher does not answer. The guard loads MSW
 *   inside that connection's call and hands the call to it, so no request
 *   reaches the network around it.
 *
 * A worker whose captures only replay `fetch` strictly never loads MSW.
 */

import { mswTransport } from './interceptor.js'
import { tagUndiciRequests } from './request-tag.js'
import { interceptionControls } from './runtime/interception-slot.js'
import { copyId, hold } from './runtime/runtime.js'
import { dispatchFrame } from './transport/dispatch.js'
import { fetchTransport } from './transport/fetch-dispatcher.js'
import { installNetworkGuard } from './transport/network-guard.js'
import { mswRequestListeners } from './transport/request-listeners.js'

/**
 * At a capture's start: if a listener subscribed after ours since (a user's
 * `server.listen()` in `beforeEach`, or first called in a later test), move
 * ours after it, so the user's handlers answer first, as at the first install.
 */
export function keepInterceptionLast(): void {
  interceptionControls().putLast?.()
}

/** Put MSW in now (if it is not yet): for a capture that may let requests through, or that a user's MSW may answer. */
export function needMsw(): void {
  interceptionControls().installMsw?.()
}

/** Start intercepting (held by this copy of core in the runtime). Returns a function that releases this use. */
export function installInterception(): () => void {
  return hold('interception', copyId(), () => {
    const controls = interceptionControls()
    // Every undici request is tagged with its capture from the first capture on: MSW, put in later,
    // reads the tag of a request created before it was.
    const untag = tagUndiciRequests()
    let undoMsw: (() => void) | undefined
    const installMsw = (): void => {
      undoMsw ??= mswTransport.install(dispatchFrame)
    }
    const guard = installNetworkGuard(installMsw)
    controls.installMsw = installMsw
    // Until MSW is in (its install replaces these): a blocker goes below the guard, and a user's
    // MSW server is seen from MSW's registry.
    controls.reapply = (below) => guard.reapply(below)
    controls.othersListening = () => mswRequestListeners().length > 0
    // A strict replay of the global fetch is answered before it reaches a socket (or the guard).
    const undoFetch = fetchTransport.install(dispatchFrame)
    return () => {
      undoFetch()
      undoMsw?.()
      guard.remove()
      untag()
      delete controls.installMsw
      delete controls.reapply
      delete controls.othersListening
    }
  })
}
