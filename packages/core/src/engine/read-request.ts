/**
 * Turning an intercepted Fetch API `Request` into stored request data.
 */
import type { HttpRequestData } from '../artifact/types.js'
import { decodeBody } from './body.js'
import { storedHeaders } from './headers.js'
import { normalizeUrl } from './url.js'

/** Read a request (from a clone: the original body stays unread for the live call). */
export async function readRequest(request: Request): Promise<HttpRequestData> {
  const data: HttpRequestData = {
    method: request.method.toUpperCase(),
    url: normalizeUrl(request.url),
    headers: storedHeaders(request.headers),
  }
  if (request.body) {
    const bytes = new Uint8Array(await request.arrayBuffer())
    const body = decodeBody(bytes, request.headers.get('content-type') ?? undefined, true)
    if (body) data.body = body
  }
  return data
}
