/**
 * Redaction of JSON bodies and stream events: one walk that replaces what the
 * user's paths select, scans every string (values and member names) for
 * secret patterns, and lets the policy have the last word on each value.
 */
import { formatJsonPath, type PathSegment } from '../artifact/json-path.js'
import type { JsonValue } from '../artifact/types.js'
import { type PathState, setMember } from './json-path-select.js'
import { fieldKey } from './names.js'
import { placeholder } from './patterns.js'
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
  return walk(value, rules.paths?.root(), [...scope.prefix], new Walk(rules, scope, false))
}

/**
 * Redact a JSON value in place and return it (or what replaces it: a
 * placeholder, or a new object where a member name held a secret). Only for a
 * value nothing else holds (see hand-over.ts): a large parsed body is then
 * never held twice. Gives the same result as `redactJson`.
 */
export function redactJsonInPlace(value: JsonValue, rules: RedactRules, scope: JsonScope): JsonValue {
  return walk(value, rules.paths?.root(), [...scope.prefix], new Walk(rules, scope, true))
}

/** Member names seen in one walk and what they redact to: a large body repeats the same few names. */
const MAX_NAMES = 1024

class Walk {
  private readonly names = new Map<string, string>()

  constructor(
    readonly rules: RedactRules,
    readonly scope: JsonScope,
    readonly inPlace: boolean,
  ) {}

  /** A member name can hold a secret too (a key-value map of tokens): it is scanned like a value. */
  name(key: string): string {
    const known = this.names.get(key)
    if (known !== undefined) return known
    const name = redactString(key, this.rules)
    if (this.names.size < MAX_NAMES) this.names.set(key, name)
    return name
  }

  private readonly fieldPlaceholders = new Map<string, string | null>()

  /** The placeholder of a member whose name says its value is a credential (`api_key`), or null. */
  field(key: string): string | null {
    let known = this.fieldPlaceholders.get(key)
    if (known === undefined) {
      const normal = fieldKey(key)
      known = this.rules.fields.has(normal) ? placeholder(normal) : null
      if (this.fieldPlaceholders.size < MAX_NAMES) this.fieldPlaceholders.set(key, known)
    }
    return known
  }
}

/**
 * A member's value: replaced whole when the member's name says it is a credential and it is a
 * string (`"password": "…"`); walked otherwise. A user's path has precedence.
 * `token` beside `logprob` is a token of text (OpenAI's log probabilities), not a credential.
 */
function member(
  parent: object,
  key: string,
  item: JsonValue,
  state: PathState | undefined,
  segments: PathSegment[],
  run: Walk,
): JsonValue {
  if (typeof item === 'string' && item !== '' && !item.startsWith('[REDACTED:') && run.rules.fields.size > 0) {
    const replacement = run.field(key)
    const byPath = state !== undefined && run.rules.paths?.matched(state) === true
    if (replacement !== null && !byPath && !(replacement === TOKEN && Object.hasOwn(parent, 'logprob'))) {
      return settle(item, replacement, segments, run.rules, run.scope)
    }
  }
  return walk(item, state, segments, run)
}

const TOKEN = placeholder('token')

function walk(value: JsonValue, state: PathState | undefined, segments: PathSegment[], run: Walk): JsonValue {
  const { rules, scope } = run
  if (state && rules.paths?.matched(state)) return settle(value, PATH_PLACEHOLDER, segments, rules, scope)
  if (typeof value === 'string') return settle(value, redactString(value, rules), segments, rules, scope)
  if (value === null || typeof value !== 'object') return settle(value, value, segments, rules, scope)
  if (run.inPlace) return walkInPlace(value, state, segments, run)
  if (Array.isArray(value)) {
    return value.map((item, i) => {
      segments.push(i)
      const out = walk(item, state && rules.paths?.child(state, i), segments, run)
      segments.pop()
      return out
    })
  }
  const out: { [key: string]: JsonValue } = {}
  for (const key of Object.keys(value)) {
    segments.push(key)
    const item = member(value, key, value[key] as JsonValue, state && rules.paths?.child(state, key), segments, run)
    segments.pop()
    setMember(out, run.name(key), item)
  }
  return out
}

/**
 * The in-place walk of an array or object, written to allocate nothing on a
 * body with no secrets (a walk of a large body otherwise leaves about as much
 * garbage as the body): no key arrays, no boxed numbers.
 */
function walkInPlace(
  value: JsonValue[] | { [key: string]: JsonValue },
  state: PathState | undefined,
  segments: PathSegment[],
  run: Walk,
): JsonValue {
  const { rules } = run
  // Numbers, booleans and null stay as they are unless a path or the policy may replace them: then they are not even read.
  const leavesStay = !rules.policy && (state === undefined || state.length === 0)
  // Only the policy is told where a value sits.
  const track = rules.policy !== undefined
  if (Array.isArray(value)) {
    // An array of numbers (an embedding) is left without reading its items one by one into the walk.
    if (leavesStay && !hasWalkable(value)) return value
    for (let i = 0; i < value.length; i++) {
      const item = itemAt(value, i)
      if (leavesStay && !isWalkable(item)) continue
      if (track) segments.push(i)
      const out = walk(item, state && rules.paths?.child(state, i), segments, run)
      if (track) segments.pop()
      if (out !== item) value[i] = out
    }
    return value
  }
  // for…in (own members only), not Object.keys: objects of one shape share their key list, no array per object.
  let out: { [key: string]: JsonValue } | undefined
  let visited = 0
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue
    const item = value[key] as JsonValue
    const name = run.name(key)
    if (out === undefined && name !== key) {
      // A secret in a member name: the members so far move to a new object, in order, and the rest follow.
      out = {}
      for (const before of Object.keys(value).slice(0, visited)) {
        setMember(out, run.name(before), value[before] as JsonValue)
      }
    }
    visited++
    if (leavesStay && !isWalkable(item)) {
      if (out !== undefined) setMember(out, name, item)
      continue
    }
    if (track) segments.push(key)
    const redacted = member(value, key, item, state && rules.paths?.child(state, key), segments, run)
    if (track) segments.pop()
    if (out !== undefined) setMember(out, name, redacted)
    else if (redacted !== item) setMember(value, key, redacted)
  }
  return out ?? value
}

/** A string, array or object: a value the walk may change when no path or policy can replace leaves. */
function isWalkable(item: JsonValue | undefined): boolean {
  return typeof item === 'string' || (typeof item === 'object' && item !== null)
}

/**
 * Whether an array holds a string or an object. Kept apart from the walk so the engine can
 * check numbers without boxing each one (a walk through an embedding otherwise allocates
 * twice its size in short-lived numbers).
 */
function hasWalkable(value: readonly JsonValue[]): boolean {
  for (let i = 0; i < value.length; i++) if (isWalkable(itemAt(value, i))) return true
  return false
}

/**
 * An array's item by `at()`, not `value[i]`: optimized indexed loads that have seen arrays of
 * several kinds make V8 turn arrays of numbers (8 bytes an item) into arrays of boxed numbers
 * (8 + 16), more than doubling an embedding in place; `at()` reads each array as it is (and,
 * unlike for…of, makes no iterator objects).
 */
function itemAt(value: readonly JsonValue[], i: number): JsonValue {
  return value.at(i) as JsonValue
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
