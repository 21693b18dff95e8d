/**
 * Live: the request goes to the upstream as the client sent it (auth,
 * `anthropic-version`, `anthropic-beta` and every other header unchanged but
 * the connection's own), and the answer comes back byte for byte as the
 * upstream gave it (status, headers, encoding, error bodies), each chunk
 * written to the client as it arrives. The recording reads a copy of the same
 * chunks (decoded) at the same pace.
 *
 * @note node:http with keep-alive agents, not fetch: the bytes pass through
 * undecoded, and a relayed request costs a fraction of a fetch (the added
 * latency per request is measured in `npm run bench`).
 */
import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import type { HttpResponseData } from '../artifact/types.js'
import { decoded } from '../engine/live-response.js'
import { type EventHook, readResponse, readResponseBody } from '../engine/read-response.js'
import { noAnswer } from './answers.js'
import { BodyCopy } from './body-copy.js'
import { recordQueue } from './record-queue.js'
import { sendAnswer } from './relay.js'
import type { GatewayProvider } from './types.js'

/** Request headers that belong to the client's connection to us (and ours, `x-replaykit-session`). */
const HOP = new Set([
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'upgrade',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'trailer',
  'x-replaykit-session',
])

/** Response headers that belong to the upstream's connection to us. */
const RESPONSE_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'trailer',
  'upgrade',
  'proxy-connection',
])

const NULL_BODY = new Set([101, 103, 204, 205, 304])

/** A status line's reason phrase as a web Response takes it (tab, visible ASCII, obs-text). */
const REASON_PHRASE = /^[\t\x20-\x7e\x80-\xff]*$/

/** The gateway's connections to the upstreams, kept alive between requests; destroyed when it closes. */
export interface UpstreamAgents {
  http: HttpAgent
  https: HttpsAgent
}

export function createAgents(): UpstreamAgents {
  return {
    http: new HttpAgent({ keepAlive: true, maxSockets: 256 }),
    https: new HttpsAgent({ keepAlive: true, maxSockets: 256 }),
  }
}

export type LiveOutcome =
  | { response: HttpResponseData; endedAt: number }
  | { error: { message: string; code?: string }; endedAt: number }

/** True for a header of the client's connection to us (or ours): not sent upstream, not recorded. */
export function isHopHeader(name: string): boolean {
  return HOP.has(name)
}

function upstreamHeaders(headers: IncomingHttpHeaders, body: Buffer | undefined): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {}
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP.has(name)) out[name] = value
  if (body) out['content-length'] = body.length
  return out
}

/**
 * Send the request upstream and relay the answer to `res`. Resolves with what
 * was recorded once the answer has ended (or failed) for both. `commit` gets
 * that outcome once, before the client's response is ended: a client that got
 * a whole answer finds it in the artifact even when the listener is killed the
 * next moment.
 */
export function forward(
  provider: GatewayProvider,
  url: string,
  method: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
  res: ServerResponse,
  agents: UpstreamAgents,
  commit: (outcome: LiveOutcome) => void = () => {},
  /** The upstream's answer begins (its status): told before any of it reaches the client. */
  onAnswer?: (status: number) => void,
  /** Each SSE event of the recording's copy, as it is parsed (the gateway redacts it there). */
  onEvent?: EventHook,
): Promise<LiveOutcome> {
  return new Promise((resolve) => {
    const target = new URL(url)
    const https = target.protocol === 'https:'
    const payload = body.length > 0 && method !== 'GET' && method !== 'HEAD' ? body : undefined
    const upstream = (https ? httpsRequest : httpRequest)(target, {
      method,
      headers: upstreamHeaders(headers, payload),
      agent: https ? agents.https : agents.http,
    })
    let answered = false
    upstream.on('response', (answer) => {
      answered = true
      onAnswer?.(answer.statusCode ?? 502)
      relayAnswer(method, answer, res, commit, onEvent).then(resolve)
    })
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (answered) return
      const timeout = typeof error.code === 'string' && /TIMEDOUT|TIMEOUT/.test(error.code)
      const failure =
        error.code === undefined ? { message: error.message } : { message: error.message, code: error.code }
      const outcome: LiveOutcome = { error: failure, endedAt: performance.now() }
      // In the recording queue's turn like an answer (record-queue.ts): exchanges are recorded in the order they ended.
      void recordQueue.run(() => {
        try {
          commit(outcome)
        } finally {
          sendAnswer(res, noAnswer(provider, target.origin, error.message, timeout))
          resolve(outcome)
        }
      })
    })
    // The client went away: stop the upstream too (a stream is recorded as interrupted).
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy(new Error('the client closed the connection'))
    })
    upstream.end(payload)
  })
}

/** Write the upstream's answer to the client as it comes, and read a copy for the recording. */
function relayAnswer(
  method: string,
  answer: IncomingMessage,
  res: ServerResponse,
  commit: (outcome: LiveOutcome) => void,
  onEvent: EventHook | undefined,
): Promise<LiveOutcome> {
  const status = answer.statusCode ?? 502
  const raw: string[] = []
  const web = new Headers()
  for (let i = 0; i < answer.rawHeaders.length; i += 2) {
    const name = answer.rawHeaders[i] as string
    const value = answer.rawHeaders[i + 1] as string
    if (RESPONSE_HOP.has(name.toLowerCase())) continue
    raw.push(name, value)
    try {
      web.append(name, value)
    } catch {
      // A header a web Headers refuses is still relayed; only the recording goes without it.
    }
  }
  res.writeHead(status, answer.statusMessage, raw)
  const declared = Number(answer.headers['content-length'])
  const length = answer.headers['content-length'] !== undefined && Number.isSafeInteger(declared) ? declared : undefined
  // A stream's headers go out now (its first event may be a while); a body of known length takes them
  // with its first bytes: one write instead of two for a JSON answer (issue 13, part S).
  if (length === undefined) res.flushHeaders()

  const empty = NULL_BODY.has(status) || method === 'HEAD'
  const statusText = answer.statusMessage ?? ''
  // What the relay hands the recording: every chunk the client gets, then the end or the cut.
  let copy: { push(chunk: Uint8Array): void; close(): void; error(error: Error): void } | undefined
  const recorded: Promise<LiveOutcome> = (async () => {
    try {
      // Our own copy (body-copy.ts), unless the answer needs what only a web Response gives: its
      // decoders (a content-encoding), or its checks of the status line (recorded as an error).
      if (!web.has('content-encoding') && status >= 200 && status <= 599 && REASON_PHRASE.test(statusText)) {
        const body = empty ? undefined : new BodyCopy()
        copy = body
        return await readResponseBody({ status, statusText, headers: web }, body, onEvent ? { onEvent } : {})
      }
      let feed: ReadableStreamDefaultController<Uint8Array> | undefined
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          feed = controller
        },
      })
      copy = {
        push: (chunk) => feed?.enqueue(chunk),
        close: () => feed?.close(),
        error: (error) => feed?.error(error),
      }
      const response = new Response(empty ? null : stream, { status, statusText, headers: web })
      return await readResponse(decoded(response))
    } catch (error) {
      // A status or body a web Response cannot hold: relayed all the same, recorded as an error.
      return {
        error: { message: `answer not recordable: ${error instanceof Error ? error.message : String(error)}` },
        endedAt: performance.now(),
      }
    }
  })()

  let received = 0
  let last: Buffer | undefined
  return new Promise((resolve) => {
    let finishing = false
    /**
     * Record the exchange in the recording queue's turn (record-queue.ts: off the relay's path,
     * so the other streams' chunks keep flowing), then end the client's response (`end`) or not
     * (cut). `settle` ends our copy of the body: parsing it is part of the job.
     */
    const done = (settle: () => void, end?: () => void): void => {
      if (finishing) return
      finishing = true
      // When the answer ended, not when its turn came: the recorded duration is the upstream's.
      const endedAt = performance.now()
      void recordQueue.run(async () => {
        try {
          settle()
        } catch {
          // The recording's copy gave up already (cancelled): it resolves all the same.
        }
        const outcome = { ...(await recorded), endedAt }
        try {
          commit(outcome)
        } finally {
          end?.()
          resolve(outcome)
        }
      })
    }
    answer.on('data', (chunk: Buffer) => {
      try {
        copy?.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
      } catch {
        // The recording's copy gave up (cancelled): the client's relay goes on.
      }
      received += chunk.byteLength
      // @note A body of known length is whole for the client with its last byte, before the response
      // ends: that last chunk waits until the exchange is recorded (a kill -9 then loses no exchange
      // a client has whole). A stream (no length) has its end in the chunked framing: nothing waits.
      if (length !== undefined && received >= length) {
        last = last ? Buffer.concat([last, chunk]) : chunk
        return
      }
      if (!res.write(chunk)) {
        answer.pause()
        res.once('drain', () => answer.resume())
      }
    })
    answer.on('end', () => {
      // Every byte is written (but a known length's last chunk); the response ends once the exchange is recorded.
      done(
        () => copy?.close(),
        () => (last ? res.end(last) : res.end()),
      )
    })
    answer.on('error', (error) => {
      // The upstream cut the answer: cut the client's connection the same way.
      res.destroy()
      done(() => copy?.error(error))
    })
    answer.on('close', () => {
      if (answer.complete) return
      res.destroy()
      done(() => copy?.error(new Error('the upstream closed the connection mid-answer')))
    })
  })
}
