/**
 * `createRedactor(options)`: what the engine runs on every request and
 * response before anything is stored, compared or logged.
 *
 * Pure: every method returns new objects and never changes its input, except
 * a response the engine handed over (hand-over.ts: just read off the wire, held
 * by nothing else), whose body is redacted in place rather than copied.
 * Deterministic and idempotent: a redacted value redacts to itself, and two
 * requests that differ only in their secrets redact to the same bytes.
 */
import type {
  Body,
  Headers,
  HttpRequestData,
  HttpResponseData,
  JsonValue,
  StreamDetail,
  StreamEvent,
} from '../artifact/types.js'
import { takeHandedOver, takeJsonText } from './hand-over.js'
import { URL_HEADERS } from './names.js'
import { placeholder } from './patterns.js'
import { redactJson, redactJsonInPlace } from './redact-json.js'
import { redactJsonText } from './redact-json-text.js'
import { redactUrl } from './redact-url.js'
import { compileRules, decide, isRedactedHeader, type RedactRules, redactString } from './rules.js'
import { redactAcrossEvents } from './stream-deltas.js'
import type { RedactContext, RedactOptions } from './types.js'

/** Redacts the parts of an exchange. Made by `createRedactor`. */
export interface Redactor {
  /** A redacted copy of a request: URL, headers and body. */
  request(request: HttpRequestData): HttpRequestData
  /** A redacted copy of a response: headers, body and every stream event. `url` is for the policy's context. */
  response(response: HttpResponseData, url?: string): HttpResponseData
  /** A URL with key parameters, credentials and secret patterns replaced. */
  url(url: string): string
  /** A text (a log line, a message) with every secret pattern replaced. */
  text(text: string): string
  /** A redacted deep copy of a JSON value, as a request or response body. */
  json(value: JsonValue): JsonValue
  /**
   * Redact one event of a stream while the stream is still arriving, in place (the event must be
   * the caller's alone, just parsed off the wire): `index` is its place in the stream. The event is
   * marked, so that `response()` of a response holding it (with this redactor's rules and no `url`,
   * as the journal redacts) does not redact it again. What is cut across events is still redacted
   * there, with the whole stream.
   */
  streamEvent(event: StreamEvent, index: number): StreamEvent
}

/**
 * Build a redactor. The built-in rules (auth headers, key parameters, secret
 * patterns) are on unless `defaults: false`; the user's rules add to them.
 *
 * @throws ReplayKitError `RPK_BAD_CONFIG` for a malformed JSON path or a pattern that is not a RegExp.
 * @example
 * const redactor = createRedactor({ paths: ['$.user.email'], headers: ['x-tenant-token'] })
 * redactor.request(request).headers.authorization // '[REDACTED:authorization]'
 */
export function createRedactor(options?: RedactOptions): Redactor {
  const rules = options === undefined ? defaultRules() : compileRules(options)
  return {
    request: (request) => redactRequest(request, rules),
    response: (response, url = '') => redactResponse(response, rules, url),
    url: (url) => redactUrl(url, rules),
    text: (text) => redactString(text, rules),
    json: (value) => redactJson(value, rules, { location: 'body', url: '', prefix: [] }),
    streamEvent: (event, index) => redactEarly(event, index, rules),
  }
}

/**
 * Stream events already redacted as they arrived, by the rules they were redacted with
 * (issue 13, part S2: the recording's job at a stream's end, which its client waits for, then
 * has no event left to redact). Only the same rules (the same compiled object) and the same
 * context (no URL, the same index) skip an event: any other redactor redacts it again, so nothing is weaker.
 */
const redactedEarly = new WeakMap<StreamEvent, { rules: RedactRules; index: number }>()

/** Whether `event` was redacted as it arrived, by `rules`, at `index` (the mark is used up). */
function isRedactedEarly(event: StreamEvent, index: number, rules: RedactRules): boolean {
  const mark = redactedEarly.get(event)
  if (!mark || mark.rules !== rules || mark.index !== index) return false
  redactedEarly.delete(event)
  return true
}

function redactEarly(event: StreamEvent, index: number, rules: RedactRules): StreamEvent {
  const out = redactEvent(event, index, rules, '', true)
  redactedEarly.set(out, { rules, index })
  return out
}

/**
 * The rules without options, compiled once: every capture without `redact` options makes a
 * redactor (1% of a replayed request went to compiling the same sets and patterns again).
 */
let defaults: RedactRules | undefined
function defaultRules(): RedactRules {
  defaults ??= compileRules()
  return defaults
}

function redactRequest(request: HttpRequestData, rules: RedactRules): HttpRequestData {
  const out: HttpRequestData = {
    ...request,
    url: redactUrl(request.url, rules),
    headers: redactHeaders(request.headers, rules, request.url),
  }
  if (request.body !== undefined) out.body = redactBody(request.body, rules, request.url)
  return out
}

function redactResponse(response: HttpResponseData, rules: RedactRules, url: string): HttpResponseData {
  const inPlace = takeHandedOver(response)
  const out: HttpResponseData = { ...response, headers: redactHeaders(response.headers, rules, url) }
  if (response.body !== undefined) out.body = redactBody(response.body, rules, url, inPlace)
  if (response.stream !== undefined) out.stream = redactStream(response.stream, rules, url, inPlace)
  return out
}

function redactHeaders(headers: Headers, rules: RedactRules, url: string): Headers {
  const out: Headers = {}
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase()
    // The whole value goes, scheme included: `Bearer sk-…` tells nothing worth keeping and varies by key type.
    const decided = isRedactedHeader(rules, lower)
      ? placeholder(lower)
      : URL_HEADERS.has(lower)
        ? redactUrl(value, rules)
        : redactString(value, rules)
    out[name] = String(decide(rules, { location: 'header', name: lower, value, url }, decided))
  }
  return out
}

function redactBody(body: Body, rules: RedactRules, url: string, inPlace = false): Body {
  if ('json' in body) {
    const scope = { location: 'body', url, prefix: [] } as const
    return { json: inPlace ? redactJsonInPlace(body.json, rules, scope) : redactJson(body.json, rules, scope) }
  }
  if ('text' in body) {
    const large = inPlace && takeJsonText(body) ? redactLargeJson(body.text, rules, url) : undefined
    return large ?? { text: redactText(body.text, rules, 'body', '$', url) }
  }
  // Binary bodies and blob references are not scanned (see docs/redaction.md).
  return { ...body }
}

/**
 * A JSON document kept as text because it is large (engine/body.ts): its strings are redacted
 * where they are. Paths and the policy are defined on the parsed value, so with either it is
 * parsed (the memory the text saved is spent then) and stored parsed. Undefined when the text
 * is not JSON after all: it is redacted as plain text.
 */
function redactLargeJson(text: string, rules: RedactRules, url: string): Body | undefined {
  if (rules.paths || rules.policy) {
    let json: JsonValue
    try {
      json = JSON.parse(text) as JsonValue
    } catch {
      return undefined
    }
    return { json: redactJsonInPlace(json, rules, { location: 'body', url, prefix: [] }) }
  }
  const redacted = redactJsonText(text, rules)
  return redacted === undefined ? undefined : { text: redacted }
}

function redactStream(stream: StreamDetail, rules: RedactRules, url: string, inPlace: boolean): StreamDetail {
  const out: StreamDetail = {
    ...stream,
    events: stream.events.map((event, i) =>
      // A mark is used up: an event is taken as redacted once, by the response it arrived in.
      url === '' && inPlace && isRedactedEarly(event, i, rules) ? event : redactEvent(event, i, rules, url, inPlace),
    ),
  }
  if (stream.error !== undefined) out.error = redactString(stream.error, rules)
  // A key cut across two deltas looks like none in either: the deltas are scanned joined too.
  redactAcrossEvents(out.events, rules.patterns)
  return out
}

function redactEvent(
  event: StreamEvent,
  index: number,
  rules: RedactRules,
  url: string,
  inPlace: boolean,
): StreamEvent {
  const out: StreamEvent = { ...event }
  if (event.json !== undefined) {
    const scope = { location: 'stream', url, prefix: [index] } as const
    out.json = inPlace ? redactJsonInPlace(event.json, rules, scope) : redactJson(event.json, rules, scope)
  }
  if (event.data !== undefined) out.data = redactText(event.data, rules, 'stream', `$[${index}]`, url)
  // The `id:` and `event:` fields are free text from the server too.
  if (event.id !== undefined) out.id = redactString(event.id, rules)
  if (event.event !== undefined) out.event = redactString(event.event, rules)
  return out
}

function redactText(
  text: string,
  rules: RedactRules,
  location: RedactContext['location'],
  name: string,
  url: string,
): string {
  return String(decide(rules, { location, name, value: text, url }, redactString(text, rules)))
}
