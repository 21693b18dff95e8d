/**
 * Redaction of JSON bodies and stream events: one walk that replaces what the
 * user's paths select, scans every string (values and member names) for
 * secret patterns, and lets the policy have the last word on each value.
 */
import { formatJsonPath, type PathSegment } from '../artifact/json-path.js'
import type { JsonValue } from '../artifact/types.js'
import { type PathState, setMember } from './json-path-select.js'
import { decide, PATH_PLACEHOLDER, type RedactRules, redactString } from './rules.js'
import type { RedactContext } from './types.js'

/** Where a walked value sits: for the policy's context. */
export interface JsonScope {
  location: RedactContext['location']
  url: string
  /** Segments before the value's root in the policy's `name` (a stream event's index). */
  prefix: readonly PathSegment[]
}

/** A redacted deep copy of a JSON value. */
export function redactJson(value: JsonValue, rules: RedactRules, scope: JsonScope): JsonValue {
  return walk(value, rules.paths?.root(), [...scope.prefix], rules, scope)
}

function walk(
  value: JsonValue,
  state: PathState | undefined,
  segments: PathSegment[],
  rules: RedactRules,
  scope: JsonScope,
): JsonValue {
  if (state && rules.paths?.matched(state)) return settle(value, PATH_PLACEHOLDER, segments, rules, scope)
  if (typeof value === 'string') return settle(value, redactString(value, rules), segments, rules, scope)
  if (value === null || typeof value !== 'object') return settle(value, value, segments, rules, scope)
  if (Array.isArray(value)) {
    return value.map((item, i) => {
      segments.push(i)
      const out = walk(item, state && rules.paths?.child(state, i), segments, rules, scope)
      segments.pop()
      return out
    })
  }
  const out: { [key: string]: JsonValue } = {}
  for (const key of Object.keys(value)) {
    segments.push(key)
    const member = walk(value[key] as JsonValue, state && rules.paths?.child(state, key), segments, rules, scope)
    segments.pop()
    // A member name can hold a secret too (a key-value map of tokens): it is scanned like a value.
    setMember(out, redactString(key, rules), member)
  }
  return out
}

function settle(
  original: JsonValue,
  decided: JsonValue,
  segments: readonly PathSegment[],
  rules: RedactRules,
  scope: JsonScope,
): JsonValue {
  if (!rules.policy) return decided
  return decide(
    rules,
    { location: scope.location, name: formatJsonPath(segments), value: original, url: scope.url },
    decided,
  )
}
