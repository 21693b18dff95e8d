/**
 * Writing an answer into the client's connection as it arrives, chunk by
 * chunk (no buffering: each SSE event, `ping`s included, goes out when it
 * comes in), with the connection's backpressure respected. A body that fails
 * midway cuts the client's connection, as the upstream cut ours.
 */

import { once } from 'node:events'
import type { ServerResponse } from 'node:http'
import type { Answer } from './answers.js'

/** Response headers that describe our connection or an encoding fetch already undid: not relayed. */
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-encoding', 'trailer', 'upgrade'])

export function relayHeaders(headers: Headers): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  const decoded = headers.has('content-encoding')
  headers.forEach((value, name) => {
    if (HOP.has(name) || (decoded && name === 'content-length')) return
    if (name === 'set-cookie') return
    out[name] = value
  })
  const cookies = headers.getSetCookie()
  if (cookies.length > 0) out['set-cookie'] = cookies
  return out
}

/**
 * Send `response` to the client; resolves when the body is written (or the connection is gone).
 * `beforeEnd` runs once the whole body is out and before the response is ended: the exchange is
 * recorded there, so a client that got a whole answer finds it in the artifact even when the
 * listener is killed the next moment. It is not called when the body was cut.
 */
export async function relay(
  response: Response,
  body: ReadableStream<Uint8Array> | null,
  res: ServerResponse,
  beforeEnd?: () => unknown,
): Promise<void> {
  res.writeHead(response.status, response.statusText || undefined, relayHeaders(response.headers))
  if (!body) {
    await beforeEnd?.()
    res.end()
    return
  }
  res.flushHeaders()
  try {
    for await (const chunk of body) {
      if (res.destroyed) break
      if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')])
    }
    await beforeEnd?.()
    res.end()
  } catch {
    // The upstream (or the recorded stream) was cut: cut the client's connection the same way.
    res.destroy()
  }
}

export function sendAnswer(res: ServerResponse, answer: Answer): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  res.writeHead(answer.status, { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) })
  res.end(answer.body)
}
