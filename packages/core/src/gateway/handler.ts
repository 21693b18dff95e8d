/**
 * One request through the gateway: routed, read for the recording (a fault
 * there never reaches the client), then answered by the mode: replayed from
 * the recording, sent live, refused (strict miss) or answered synthetically
 * (opt-in). Every exchange is recorded to its client session's run.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { HttpRequestData, HttpResponseData } from '../artifact/types.js'
import { readResponse } from '../engine/read-response.js'
import { replayResponse } from '../engine/replay-response.js'
import type { Redactor } from '../redact/redactor.js'
import { noAnswer, refusal, unroutable } from './answers.js'
import { forward, type LiveOutcome, type UpstreamAgents } from './forward.js'
import type { Flight } from './in-flight.js'
import { incomingRequest } from './incoming-request.js'
import type { CheckedOptions } from './options.js'
import { recordQueue } from './record-queue.js'
import type { GatewayRecording } from './recording.js'
import { relay, sendAnswer } from './relay.js'
import type { ReplaySource } from './replay-source.js'
import { type Route, routeOf } from './routes.js'
import { sessionOf } from './session.js'
import { syntheticResponse } from './synthetic.js'
import type { GatewayStatus } from './types.js'

export interface GatewayContext {
  options: CheckedOptions
  redactor: Redactor
  recording?: GatewayRecording
  replay?: ReplaySource
  agents: UpstreamAgents
  counts: { requests: number; errors: number; synthetic: number; syntheticRefused: number }
  status(): GatewayStatus
  degrade(message: string): void
  log(line: string): void
}

export async function handle(context: GatewayContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase()
  const route = routeOf(method, req.url ?? '/', req.headers, context.options.upstreams)
  if (route.type === 'health') {
    const body = JSON.stringify(context.status())
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) })
    res.end(body)
    return
  }
  if (route.type === 'probe') {
    res.writeHead(200, { 'content-length': '0' })
    res.end()
    return
  }
  context.counts.requests++
  if (route.type === 'unroutable') {
    context.counts.errors++
    context.log(`${method} ${context.redactor.url(route.path)} -> 404 unroutable`)
    sendAnswer(res, unroutable(method, route.path))
    return
  }
  let body: Buffer
  try {
    body = await readBody(req)
  } catch {
    // The client went away while sending: nothing to answer, nothing to record.
    return
  }
  const startedAt = performance.now()
  const json = parseJson(body)
  const session = sessionOf(req.headers, json)
  // Read for the recording and for matching only: a plain live relay pays nothing for it.
  const request =
    context.recording || context.replay ? readForRecording(context, route, method, req, body, session) : undefined
  const verdict = decide(context, route, session, request)
  // Noted as in flight until it ends: a listener killed meanwhile leaves it to be written as interrupted.
  const flight =
    request && verdict.type !== 'refuse'
      ? context.recording?.begin(
          session,
          request,
          startedAt,
          verdict.type === 'replay' ? verdict.response.status : undefined,
        )
      : undefined
  // Logged and recorded once, before the client's response ends (see relay's beforeEnd).
  let finished = false
  const finish = (outcome: LiveOutcome, note: string): void => {
    if (finished) return
    finished = true
    complete(context, { method, route, session, request, startedAt, flight }, outcome, note)
  }
  try {
    await respond(
      context,
      { method, route, headers: req.headers, body, json, session, request, flight },
      verdict,
      res,
      finish,
      () => finished,
    )
  } finally {
    if (flight) context.recording?.end(flight)
  }
}

/**
 * Answer the client as the verdict says; `finish` records the exchange before the answer ends, and
 * `finished` tells whether it has (a relay cut short never reaches its end, so it is recorded after).
 */
async function respond(
  context: GatewayContext,
  exchange: {
    method: string
    route: Extract<Route, { type: 'provider' }>
    headers: IncomingMessage['headers']
    body: Buffer
    json: unknown
    session: string
    request: HttpRequestData | undefined
    flight: Flight | undefined
  },
  verdict: Decision,
  res: ServerResponse,
  finish: (outcome: LiveOutcome, note: string) => void,
  finished: () => boolean,
): Promise<void> {
  const { method, route, headers, body, json, session, request, flight } = exchange
  if (verdict.type === 'replay') {
    const response = verdict.response
    const answer = replayResponse(response, { pacing: 'instant' })
    // In the recording queue's turn, as a live exchange (record-queue.ts).
    const done = (): Promise<void> => {
      const endedAt = performance.now()
      return recordQueue.run(() => finish({ response, endedAt }, 'replay'))
    }
    await relay(answer, answer.body, res, done)
    if (!finished()) await done()
  } else if (verdict.type === 'replay-error') {
    finish({ error: { message: verdict.message }, endedAt: performance.now() }, 'replay-error')
    // As it was answered live: the provider-shaped 502 (504 on a timeout) of an upstream that gave no answer.
    sendAnswer(res, noAnswer(route.provider, 'recorded upstream', verdict.message, verdict.timeout))
  } else if (verdict.type === 'refuse') {
    context.counts.errors++
    if (verdict.code === 'RPK_SYNTHETIC_REFUSED') context.counts.syntheticRefused++
    context.log(verdict.message)
    sendAnswer(
      res,
      refusal(
        route.provider,
        verdict.code === 'RPK_REPLAY_MISS' ? 'replay_miss' : 'synthetic_refused',
        verdict.message,
      ),
    )
    if (request) context.recording?.event(session, context.redactor.text(verdict.message), verdict.code)
  } else if (verdict.type === 'synthetic') {
    context.counts.synthetic++
    const response = syntheticResponse(route.provider, json)
    const recorded = readRecorded(syntheticResponse(route.provider, json))
    const done = async (): Promise<void> => {
      const outcome = await recorded
      await recordQueue.run(() => finish(outcome, 'synthetic'))
    }
    await relay(response, response.body, res, done)
    if (!finished()) await done()
  } else {
    await forward(
      route.provider,
      route.upstreamUrl,
      method,
      headers,
      body,
      res,
      context.agents,
      (outcome) => {
        if ('error' in outcome || outcome.response.status >= 500) context.counts.errors++
        finish(outcome, 'live')
      },
      flight && context.recording ? (status) => context.recording?.answered(flight, status) : undefined,
      // Redacted as they arrive, with the journal's rules (issue 13, part S2): the job at the stream's
      // end, which its client waits for, then has no event left to redact.
      context.recording ? (event, index) => context.redactor.streamEvent(event, index) : undefined,
    )
  }
}

/** Log one answered exchange and record it to its session's run. */
function complete(
  context: GatewayContext,
  exchange: {
    method: string
    route: Extract<Route, { type: 'provider' }>
    session: string
    request: HttpRequestData | undefined
    startedAt: number
    flight?: Flight | undefined
  },
  outcome: LiveOutcome,
  note: string,
): void {
  const { method, route, session, request, startedAt, flight } = exchange
  const status = 'response' in outcome ? String(outcome.response.status) : `no answer (${outcome.error.message})`
  context.log(
    `${method} ${context.redactor.url(route.apiPath)} -> ${status} ${note} ${Math.round(outcome.endedAt - startedAt)}ms [${session}]`,
  )
  if (!request || !context.recording) return
  try {
    const recorded: { response?: HttpResponseData; error?: { message: string; code?: string } } =
      'response' in outcome
        ? // @note Redacted by the journal store before it is written (once: a second pass cost ~5% of a recorded stream).
          { response: outcome.response }
        : { error: { ...outcome.error, message: context.redactor.text(outcome.error.message) } }
    context.recording.record(session, {
      request,
      ...recorded,
      startedAt,
      endedAt: outcome.endedAt,
      ...(flight ? { flight } : {}),
    })
  } catch (error) {
    context.recording.fault(session, `exchange not recorded: ${reasonOf(error)}`)
  }
}

type Decision =
  | { type: 'live' }
  | { type: 'replay'; response: HttpResponseData }
  | { type: 'replay-error'; message: string; timeout: boolean }
  | { type: 'refuse'; message: string; code: string }
  | { type: 'synthetic' }

function decide(
  context: GatewayContext,
  route: Extract<Route, { type: 'provider' }>,
  session: string,
  request: HttpRequestData | undefined,
): Decision {
  const { options } = context
  if (options.mode === 'synthetic') return synthetic(context, route)
  if (!context.replay) return { type: 'live' }
  if (request) {
    const found = context.replay.take(session, request)
    if ('matched' in found) {
      if (found.matched.response) return { type: 'replay', response: found.matched.response }
      const error = found.matched.error
      return {
        type: 'replay-error',
        message: `${error?.message ?? 'network error'} (replayed)`,
        timeout: /TIMEDOUT|TIMEOUT/.test(error?.code ?? ''),
      }
    }
    if (options.mode === 'replay-hybrid') return { type: 'live' }
    if (options.synthetic) return synthetic(context, route)
    return { type: 'refuse', message: found.miss, code: 'RPK_REPLAY_MISS' }
  }
  if (options.mode === 'replay-hybrid') return { type: 'live' }
  return {
    type: 'refuse',
    message: `[ReplayKit gateway] strict replay: the request to ${route.apiPath} could not be read, so it cannot be matched; it was not sent.`,
    code: 'RPK_REPLAY_MISS',
  }
}

function synthetic(context: GatewayContext, route: Extract<Route, { type: 'provider' }>): Decision {
  if (context.options.failOnSynthetic) {
    return {
      type: 'refuse',
      code: 'RPK_SYNTHETIC_REFUSED',
      message: `[ReplayKit gateway] a synthetic answer for ${route.apiPath} was refused (failOnSynthetic / --fail-on-synthetic).`,
    }
  }
  return { type: 'synthetic' }
}

/** The request as recorded (redacted), or undefined when it cannot be read: a fault, never the client's problem. */
function readForRecording(
  context: GatewayContext,
  route: Extract<Route, { type: 'provider' }>,
  method: string,
  req: IncomingMessage,
  body: Buffer,
  session: string,
): HttpRequestData | undefined {
  try {
    // Redacted before anything is derived from it (the match key, the shared parts' hashes).
    return context.redactor.request(incomingRequest(method, route.upstreamUrl, req.headers, body))
  } catch (error) {
    const message = `request not readable for the recording: ${reasonOf(error)}`
    if (context.recording) context.recording.fault(session, message)
    else context.degrade(message)
    return undefined
  }
}

function readRecorded(response: Response): Promise<LiveOutcome> {
  return readResponse(response)
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0 || (body[0] !== 0x7b && body[0] !== 0x5b)) return undefined
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    return undefined
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
