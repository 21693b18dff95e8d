/**
 * The engine's dispatch: the one entry every transport calls for a request a
 * capture owns (transport/port.ts). It picks the handler by the owner's state.
 */
import { handleRequest } from '../handle-request.js'
import { handleLateRequest, handleOrphanRequest } from '../late.js'
import type { CaptureOwner, RequestFrame } from './port.js'

export function dispatchFrame(frame: RequestFrame, owner: CaptureOwner): Promise<void> | void {
  if ('gone' in owner) return handleOrphanRequest(owner.gone, frame)
  if (owner.context.closed) return handleLateRequest(owner.context, frame)
  return handleRequest(owner.context, frame)
}
