/**
 * Interception through MSW, the transport for everything the fetch-dispatcher
 * transport does not answer (installed by interception.ts, when first needed).
 *
 * One catch-all handler sees every HTTP request the process makes (global
 * fetch, node:http/https and everything on them, and undici's own `request()`
 * and Pool, through the socket-level interceptor). It acts only when a capture
 * is active in the caller's async context and otherwise lets the request pass
 * untouched, so a user's own MSW server and plain traffic keep working.
 *
 * @note Installed lazily, not at import: a user's `server.listen()` in
 * `beforeAll` then subscribes first, and their handlers answer before ours. A
 * user's server that starts listening later (each `beforeEach`) subscribes
 * after ours: each capture then moves ours last (keepInterceptionLast).
 * Without that, our handler let their request through and their mock answered
 * it: recorded as RPK_NO_RESPONSE, `fetch failed` on replay.
 * @note MSW's modules are loaded only here (msw-modules.ts), when this
 * transport is installed: a worker that only replays `fetch` never loads them.
 */
import { answeredByUser, recordLiveResponse } from './live-response.js'
import { takeCaptureTag } from './request-tag.js'
import { interceptionControls } from './runtime/interception-slot.js'
import { mswModules } from './transport/msw-modules.js'
import type { Dispatch, RequestFrame, Transport } from './transport/port.js'
import { mswRequestListeners } from './transport/request-listeners.js'

/**
 * MSW in the test process, as a transport (transport/port.ts): every HTTP
 * request of the process becomes a frame; its owner is the capture its tag or
 * its async context names; requests no capture owns are not dispatched.
 */
export const mswTransport: Transport = { name: 'msw', install }

function install(dispatch: Dispatch): () => void {
  const { HttpRequestInterceptor, RequestController, defineNetwork, http, InterceptorSource } = mswModules()
  const interceptor = new HttpRequestInterceptor()
  // Requests another MSW server (the user's) already answered. Interceptor listeners run in
  // subscription order, each awaited, so by the time ours run the user's have finished.
  const answered = new Set<string>()
  /**
   * @note Disabling the network disposes the interceptor, and disposing removes every
   * listener on it: ours are put back before each enable (first, so the `answered` check runs
   * before the catch-all handler). Lost, a capture after blockNetwork's reapply recorded no
   * live response (RPK_NO_RESPONSE).
   */
  const subscribe = (): void => {
    interceptor.on('request', ({ requestId, controller }) => {
      const state = controller.readyState
      if (state === RequestController.RESPONSE || state === RequestController.ERROR) answered.add(requestId)
    })
    // The server's own answer to a request a capture let through: recorded from this copy.
    interceptor.on('response', ({ requestId, response, responseType }) => {
      if (responseType === 'original') recordLiveResponse(requestId, response)
      // A request we let through that a later listener (the user's MSW) answered with its mock.
      else answeredByUser(requestId)
    })
  }
  subscribe()
  const network = defineNetwork({
    sources: [new InterceptorSource({ interceptors: [interceptor] })],
    handlers: [
      http.all('*', ({ request, requestId }) => {
        if (answered.delete(requestId)) return undefined
        const owner = takeCaptureTag(request)
        // Not inside a capture: no response, and MSW lets the request through unchanged.
        if (!owner) return undefined
        return answer(request, requestId, (frame) => dispatch(frame, owner))
      }),
    ],
    // Requests outside captures are none of our business: no warnings about them.
    onUnhandledFrame: 'bypass',
    context: { quiet: true },
  })
  let ours: unknown[] = []
  const enable = (): void => {
    const before = new Set(mswRequestListeners())
    void network.enable()
    ours = mswRequestListeners().filter((listener) => !before.has(listener))
  }
  enable()
  /** Take ours off, run `below`, and subscribe and enable ours again: on top, and last. */
  const reinstall = (below?: () => void): void => {
    void network.disable()
    below?.()
    subscribe()
    enable()
  }
  const controls = interceptionControls()
  controls.reapply = reinstall
  controls.putLast = () => {
    const listeners = mswRequestListeners()
    const last = listeners[listeners.length - 1]
    if (last === undefined || ours.length === 0 || ours.includes(last)) return
    reinstall()
  }
  controls.othersListening = () => mswRequestListeners().length > ours.length
  return () => {
    delete controls.reapply
    delete controls.putLast
    delete controls.othersListening
    void network.disable()
  }
}

/**
 * The frame of one request, its three verbs mapped to what an MSW resolver
 * returns: a response, msw's `passthrough()`, or `Response.error()`.
 */
async function answer(
  request: Request,
  id: string,
  handle: (frame: RequestFrame) => Promise<void> | void,
): Promise<Response | undefined> {
  let result: Response | undefined
  const settle = (response: Response): void => {
    result ??= response
  }
  await handle({
    request,
    id,
    respondWith: settle,
    passthrough: () => settle(mswModules().passthrough()),
    errorWith: () => settle(Response.error()),
  })
  return result
}
