/**
 * The request as the recording stores it, read from what node:http gave the
 * gateway: its method, the upstream URL it goes to, its headers and its body.
 *
 * Why not `readRequest(new Request(…))` as the engine reads a fetch: building a
 * web Request (undici's body extraction, its abort signal) and reading its body
 * back cost about a fifth of the gateway's time per buffered request, on the
 * request's path before it is forwarded (docs/performance.md, issue 13, part S).
 * The stored data is the same (test/gateway/incoming-request.test.ts).
 */
import type { IncomingHttpHeaders } from 'node:http'
import type { HttpRequestData } from '../artifact/types.js'
import { decodeBody } from '../engine/body.js'
import { storedHeaderRecord } from '../engine/headers.js'
import { normalizeUrl } from '../engine/url.js'
import { isHopHeader } from './forward.js'

/**
 * @throws TypeError when the URL cannot be parsed (the caller records the fault; the client is
 * answered all the same).
 */
export function incomingRequest(
  method: string,
  url: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
): HttpRequestData {
  // As a web Headers holds them: one value per name (repeated ones joined), names in order.
  const record: Record<string, string> = {}
  for (const name of Object.keys(headers).sort()) {
    const value = headers[name]
    if (value === undefined || isHopHeader(name)) continue
    record[name] = trim(Array.isArray(value) ? value.join(', ') : value)
  }
  const data: HttpRequestData = {
    method: method.toUpperCase(),
    url: normalizeUrl(url),
    headers: storedHeaderRecord(record),
  }
  // As fetch sends it: a GET or HEAD has no body.
  if (body.length > 0 && method !== 'GET' && method !== 'HEAD') {
    const decoded = decodeBody(
      new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
      record['content-type'],
      true,
    )
    if (decoded) data.body = decoded
  }
  return data
}

/** A header value as a web Headers normalises it: HTTP whitespace at either end removed. */
function trim(value: string): string {
  return value.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '')
}
