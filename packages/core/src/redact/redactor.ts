/**
 * `createRedactor(options)`: what the engine runs on every request and
 * response before anything is stored, compared or logged.
 *
 * Pure: every method returns new objects and never changes its input.
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
import { placeholder } from './patterns.js'
import { redactJson } from './redact-json.js'
import { redactUrl } from './redact-url.js'
import { compileRules, decide, type RedactRules, redactString } from './rules.js'
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
export function createRedactor(options: RedactOptions = {}): Redactor {
  const rules = compileRules(options)
  return {
    request: (request) => redactRequest(request, rules),
    response: (response, url = '') => redactResponse(response, rules, url),
    url: (url) => redactUrl(url, rules),
    text: (text) => redactString(text, rules),
    json: (value) => redactJson(value, rules, { location: 'body', url: '', prefix: [] }),
  }
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
  const out: HttpResponseData = { ...response, headers: redactHeaders(response.headers, rules, url) }
  if (response.body !== undefined) out.body = redactBody(response.body, rules, url)
  if (response.stream !== undefined) out.stream = redactStream(response.stream, rules, url)
  return out
}

function redactHeaders(headers: Headers, rules: RedactRules, url: string): Headers {
  const out: Headers = {}
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase()
    // The whole value goes, scheme included: `Bearer sk-…` tells nothing worth keeping and varies by key type.
    const decided = rules.headers.has(lower) ? placeholder(lower) : redactString(value, rules)
    out[name] = String(decide(rules, { location: 'header', name: lower, value, url }, decided))
  }
  return out
}

function redactBody(body: Body, rules: RedactRules, url: string): Body {
  if ('json' in body) return { json: redactJson(body.json, rules, { location: 'body', url, prefix: [] }) }
  if ('text' in body) return { text: redactText(body.text, rules, 'body', '$', url) }
  // Binary bodies and blob references are not scanned (see docs/redaction.md).
  return { ...body }
}

function redactStream(stream: StreamDetail, rules: RedactRules, url: string): StreamDetail {
  const out: StreamDetail = { ...stream, events: stream.events.map((event, i) => redactEvent(event, i, rules, url)) }
  if (stream.error !== undefined) out.error = redactString(stream.error, rules)
  return out
}

function redactEvent(event: StreamEvent, index: number, rules: RedactRules, url: string): StreamEvent {
  const out: StreamEvent = { ...event }
  if (event.json !== undefined) out.json = redactJson(event.json, rules, { location: 'stream', url, prefix: [index] })
  if (event.data !== undefined) out.data = redactText(event.data, rules, 'stream', `$[${index}]`, url)
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
