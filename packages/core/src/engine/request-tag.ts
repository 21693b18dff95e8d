/**
 * Tagging undici requests (global `fetch`, and undici's own `fetch`,
 * `request()` and Pool) with the capture they are made in.
 *
 * The interceptor sees requests at the socket, and finds their capture through
 * AsyncLocalStorage there. For undici that is not reliable: a request queued
 * on a pooled client whose previous socket is closing is written on a socket
 * the client opens from that close event, in the async context of whichever
 * capture opened the old one. The request then reached us in a finished
 * capture's context: recorded into the wrong run, or sent live during a strict
 * replay. So the capture is read where undici creates the request, which runs
 * in the caller's context, and written into a header that the handler reads
 * and that is never stored or sent.
 *
 * @note `undici:request:create` and `request.addHeader` are undici's
 * instrumentation API (OpenTelemetry propagates trace context the same way);
 * Node's bundled undici and the npm package publish on the same channel.
 * node:http clients keep the AsyncLocalStorage lookup: they write in the
 * caller's context.
 */
import diagnostics from 'node:diagnostics_channel'
import { captureById, currentContext } from './context.js'
import type { CaptureOwner } from './transport/port.js'
import type { Mode } from './types.js'

/** Never stored (headers.ts), and removed before a request goes on to the network. */
export const CAPTURE_HEADER = 'x-replaykit-capture'

const CHANNEL = 'undici:request:create'

interface UndiciRequestCreate {
  request: { addHeader?: (name: string, value: string) => unknown }
}

function onRequestCreate(message: unknown): void {
  const context = currentContext()
  const request = (message as UndiciRequestCreate).request
  if (context && typeof request?.addHeader === 'function')
    request.addHeader(CAPTURE_HEADER, `${context.id};${context.mode}`)
}

/** Start tagging; returns the undo. */
export function tagUndiciRequests(): () => void {
  diagnostics.subscribe(CHANNEL, onRequestCreate)
  return () => {
    diagnostics.unsubscribe(CHANNEL, onRequestCreate)
  }
}

/**
 * The capture an intercepted request belongs to: the one its tag names, or,
 * for untagged requests, the one of the async context the handler runs in.
 * A capture that has returned still owns its requests (late.ts); the tag
 * carries the mode too, so a request outliving all of its capture's state is
 * still answered by that mode. The tag is removed from the request: a request
 * let through is sent with the headers its Request object has.
 */
export function takeCaptureTag(request: Request): CaptureOwner | undefined {
  const tag = request.headers.get(CAPTURE_HEADER)
  if (tag === null) {
    const context = currentContext()
    return context ? { context } : undefined
  }
  request.headers.delete(CAPTURE_HEADER)
  const [id = '', mode = 'strict'] = tag.split(';')
  const context = captureById(id)
  return context ? { context } : { gone: mode as Mode }
}
