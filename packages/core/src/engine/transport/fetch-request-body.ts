/**
 * The body of a request fetch dispatches to the fetch-dispatcher transport,
 * read whole: what the engine matches and records.
 *
 * fetch hands a body over as an async iterable of chunks (read from a tee of
 * the body's stream, as it clones the request), or, to a dispatcher that says
 * `isMockActive` (fetch-dispatcher.ts says it for the requests it answers), as
 * fetch was given it: a string or bytes, a Blob, a FormData, or a stream.
 */

/** The headers fetch dispatches with: its record of lower-cased names, or a flat array of names and values. */
export type DispatchHeaders = Record<string, string> | string[] | null | undefined

/**
 * The body as text or bytes (undefined: none), and the headers that go with it.
 *
 * @note A FormData is serialized anew, by fetch's own rules (a Response of it) but with a boundary of
 * its own, so the content-type, which names the boundary fetch picked, is set to the new one. A strict
 * replay never sends the request: only the two must agree, and fetch picks a random boundary for every
 * request anyway.
 */
export async function readDispatchedBody(
  body: unknown,
  headers: DispatchHeaders,
): Promise<{ body: Uint8Array | string | undefined; headers: DispatchHeaders }> {
  if (body === null || body === undefined) return { body: undefined, headers }
  if (typeof body === 'string' || body instanceof Uint8Array) return { body, headers }
  if (typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
    const chunks: Uint8Array[] = []
    for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(chunk)
    return { body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks), headers }
  }
  if (typeof body !== 'object') return { body: undefined, headers }
  // A Blob or a FormData (or a look-alike fetch accepts): read as a Response reads the body it is given.
  const response = new Response(body as BodyInit)
  const bytes = new Uint8Array(await response.arrayBuffer())
  const type = response.headers.get('content-type')
  if (Object.prototype.toString.call(body) !== '[object FormData]' || !type) return { body: bytes, headers }
  return { body: bytes, headers: withContentType(headers, type) }
}

/** The headers with `content-type` set to `type`, in the form they came in. */
function withContentType(headers: DispatchHeaders, type: string): DispatchHeaders {
  if (Array.isArray(headers)) {
    const out: string[] = []
    for (let i = 0; i + 1 < headers.length; i += 2) {
      if (String(headers[i]).toLowerCase() !== 'content-type') out.push(String(headers[i]), String(headers[i + 1]))
    }
    return [...out, 'content-type', type]
  }
  const out: Record<string, string> = {}
  for (const name in headers ?? {}) if (name.toLowerCase() !== 'content-type') out[name] = String(headers?.[name])
  out['content-type'] = type
  return out
}
