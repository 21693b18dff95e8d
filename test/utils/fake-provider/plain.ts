/**
 * Plain (non-LLM) routes: JSON APIs, an echo, raw bytes, error statuses and SSE streams that
 * end cleanly, get cut, or carry a malformed event.
 */

import { type FakeResponse, json } from './respond.js'
import type { Fault } from './script.js'

const TEMPERATURES: Record<string, number> = { Oslo: 12, Paris: 18, Tokyo: 21, 'New York': 15 }

export interface PlainRoute {
  out: FakeResponse
  fault?: Fault
}

/** The plain route for a request, or undefined when there is none. */
export function plainRoute(method: string, url: URL, rawBody: Buffer, contentType: string): PlainRoute | undefined {
  const path = url.pathname
  if (method === 'GET' && path === '/weather') {
    const city = url.searchParams.get('city') ?? 'Oslo'
    const tempC = TEMPERATURES[city] ?? ([...city].reduce((sum, char) => sum + char.charCodeAt(0), 0) % 30) - 5
    return { out: json(200, { city, tempC, conditions: tempC > 15 ? 'sunny' : 'cloudy' }) }
  }
  if (path === '/echo') {
    return { out: { type: 'raw', status: 200, contentType: contentType || 'application/json', body: rawBody } }
  }
  if (method === 'GET' && path === '/text') {
    return { out: { type: 'raw', status: 200, contentType: 'text/plain; charset=utf-8', body: 'hello from the fake' } }
  }
  if (method === 'GET' && path === '/bytes') {
    const size = Number(url.searchParams.get('n') ?? 16)
    const bytes = Uint8Array.from({ length: size }, (_, i) => (i * 37 + 11) % 256)
    return { out: { type: 'raw', status: 200, contentType: 'application/octet-stream', body: bytes } }
  }
  const status = /^\/status\/(\d{3})$/.exec(path)
  if (status) return { out: json(Number(status[1]), { status: Number(status[1]) }) }
  if (method === 'GET' && path === '/sse/ticks') return { out: ticks(Number(url.searchParams.get('count') ?? 3)) }
  if (method === 'GET' && path === '/sse/interrupted') return { out: ticks(4), fault: { type: 'interrupt' } }
  if (method === 'GET' && path === '/sse/malformed') return { out: ticks(3), fault: { type: 'malformed' } }
  return undefined
}

/** `event: tick` / `data: {"n":i}` frames, 1-based. */
function ticks(count: number): FakeResponse {
  const frames = Array.from({ length: count }, (_, i) => `event: tick\ndata: ${JSON.stringify({ n: i + 1 })}\n\n`)
  return { type: 'sse', frames, malformedFrame: 'event: tick\ndata: {"n": \n\n' }
}
