import { CAPTURE_HEADER } from './request-tag.js'

/**
 * Which headers are stored. Volatile and transport headers are left out of
 * recordings: they change on every run (dates, request ids, SDK telemetry) or
 * describe bytes we do not keep (encodings, lengths), and would make every
 * re-record a noisy diff. What is left is sorted by the canonical writer.
 */
const TRANSPORT = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
  'host',
  'accept-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-connection',
])

/** Never stored, and recomputed by the client on replay (replay-response.ts). */
export const TRANSPORT_HEADERS: ReadonlySet<string> = TRANSPORT

const VOLATILE = new Set([
  'date',
  'user-agent',
  'x-request-id',
  'request-id',
  'x-stainless-retry-count',
  'x-stainless-timeout',
  'openai-processing-ms',
  'anthropic-ratelimit-requests-reset',
  'anthropic-ratelimit-tokens-reset',
  'cf-ray',
  'set-cookie',
  'age',
  'etag',
  'last-modified',
  'server-timing',
  'x-envoy-upstream-service-time',
])

function isStored(name: string): boolean {
  if (TRANSPORT.has(name) || VOLATILE.has(name)) return false
  // SDK telemetry: OS, runtime, package version, retry counts.
  if (name.startsWith('x-stainless-') || name.startsWith('x-ratelimit-') || name.startsWith('anthropic-ratelimit-')) {
    return false
  }
  // MSW's own bypass marker, and ours naming the capture (request-tag.ts).
  return name !== 'x-msw-intention' && name !== CAPTURE_HEADER
}

/** Lower-cased, filtered headers of a request or response. */
export function storedHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {}
  headers.forEach((value, name) => {
    store(out, name, value)
  })
  if (out.accept === '') delete out.accept
  return out
}

/**
 * `storedHeaders` of a header list given as one value per name (undici's dispatch options),
 * without building a `Headers` (MSW wraps the global constructor in a proxy: 2% of a replay).
 */
export function storedHeaderRecord(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name in headers) store(out, name, headers[name] as string)
  if (out.accept === '') delete out.accept
  return out
}

function store(out: Record<string, string>, name: string, value: string): void {
  const lower = name.toLowerCase()
  if (!isStored(lower)) return
  // The bypass marker is appended to `accept` by msw's bypass(): never store it.
  out[lower] = lower === 'accept' ? value.replace(/,?\s*msw\/passthrough/, '') : value
}

/** Headers to send on replay: the stored ones (transport headers are recomputed by the client). */
export function replayHeaders(stored: Record<string, string>): Headers {
  const headers = new Headers()
  for (const [name, value] of Object.entries(stored)) {
    if (!TRANSPORT.has(name)) headers.set(name, value)
  }
  return headers
}

/**
 * Frame a body of unknown length as chunked. Without a framing header the
 * interceptor writes a close-delimited response, and a stream cut off midway
 * would look to the client like a clean end.
 */
export function chunked(headers: Headers): Headers {
  headers.set('transfer-encoding', 'chunked')
  return headers
}
