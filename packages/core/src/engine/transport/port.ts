/**
 * The transport port: how requests reach the engine and which capture they
 * belong to. A transport turns each request into a frame, finds its owner
 * (the capture it was made in) and hands both to the engine's dispatch, which
 * asks the recorder for a verdict and carries it out with the frame's three
 * verbs (msw's own: respondWith, passthrough, errorWith).
 *
 * MSW in the test process (interceptor.ts) is the first transport; the
 * gateway is the second. The policy never knows which transport a frame came
 * from (msw's `sources/network-source.ts` and `frames/http-frame.ts` model).
 */
import type { HttpRequestData } from '../../artifact/types.js'
import type { CaptureContext } from '../context.js'
import type { ReplayParts } from '../replay-response.js'
import type { Mode } from '../types.js'

/** One request as a transport hands it over, with the three ways to answer it. Exactly one is called. */
export interface RequestFrame {
  /** The request as the Fetch API sees it (a transport may build it only when it is first read). */
  readonly request: Request
  /**
   * The request read into stored form (not redacted yet), when the transport has its parts at
   * hand (fetch-dispatcher.ts): the engine reads this instead of a clone of `request`, and never
   * makes the transport build a `Request` (building, cloning and reading one back was 9% of a
   * replayed request, profiled).
   */
  readonly data?: HttpRequestData
  /** Unique in the process while the request lasts: live answers are matched to their request by it. */
  readonly id: string
  /**
   * Answer with this response; the request never reaches the network. A transport that sets
   * `reportsDelivery` calls `delivered` once the client has taken the body's last byte (or the
   * body failed).
   */
  respondWith(response: Response, delivered?: () => void): void
  /**
   * The transport feeds the body to the client itself and reports its end (fetch-dispatcher.ts).
   * Otherwise the engine wraps the body in a stream of its own to see it end: a second
   * `Response` and stream per replayed request.
   */
  readonly reportsDelivery?: boolean
  /**
   * Answer with a recorded answer's parts (replay-response.ts `replayParts`), fed to the client
   * as they are, with no `Response` built; `delivered` as for `respondWith`. A transport that
   * has it also sets `reportsDelivery`. The engine uses it for the answers that are all there at
   * once, and `respondWith` for the rest.
   */
  respondWithParts?(parts: ReplayParts, delivered: () => void): void
  /** Send the request on, unchanged; the transport reports the answer to `recordLiveResponse` by `id`. */
  passthrough(): void
  /** Fail the request as a network error. */
  errorWith(reason?: unknown): void
}

/** Whose a request is: a capture (running or returned), or a capture gone but for its mode. */
export type CaptureOwner = { context: CaptureContext } | { gone: Mode }

/** The engine's side of the port: what a transport calls for each request a capture owns. */
export type Dispatch = (frame: RequestFrame, owner: CaptureOwner) => Promise<void> | void

export interface Transport {
  readonly name: string
  /** Start bringing requests to `dispatch`. Returns the undo. */
  install(dispatch: Dispatch): () => void
}

/** Carry out a refusal: a provider-shaped answer, or (`Response.error()`) a network error. */
export function answerRefusal(frame: RequestFrame, answer: Response, reason: string): void {
  if (answer.type === 'error') frame.errorWith(new Error(reason))
  else frame.respondWith(answer)
}
