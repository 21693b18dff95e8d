/**
 * The last line of defence: the built-in secret rules run over any text right
 * before it is printed or written into a report (divergence reports, matcher
 * messages, CLI output). Values reach these from many places (a summary text
 * assembled from stream deltas, an outcome, a user's own error message); what
 * the capture's redactor missed is caught here, by the patterns alone.
 *
 * Idempotent and linear in the text's length, like every pattern.
 */
import type { JsonValue } from '../artifact/types.js'
import { redactJson } from './redact-json.js'
import { compileRules, type RedactRules, redactPlain } from './rules.js'

let defaults: RedactRules | undefined

function rules(): RedactRules {
  defaults ??= compileRules()
  return defaults
}

/**
 * A text with every built-in secret rule applied (patterns, key parameters, URL credentials,
 * percent-encoded keys).
 *
 * @example redactPrinted('GET https://h/v1?key=AIza…') // 'GET https://h/v1?key=[REDACTED:key]'
 */
export function redactPrinted(text: string): string {
  return redactPlain(text, rules())
}

/** A JSON value with the built-in rules applied (secret fields and patterns), for a JSON report. */
export function redactPrintedJson(value: JsonValue): JsonValue {
  return redactJson(value, rules(), { location: 'body', url: '', prefix: [] })
}
