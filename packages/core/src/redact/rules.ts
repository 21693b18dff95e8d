/**
 * Redaction options compiled once into the rules every value is checked
 * against: header and parameter names, JSON paths, patterns and the policy.
 */
import type { JsonValue } from '../artifact/types.js'
import { BadConfigError } from '../errors/classes.js'
import { compileJsonPath, PathMatcher } from './json-path-select.js'
import {
  DEFAULT_REDACTED_FIELDS,
  DEFAULT_REDACTED_HEADERS,
  DEFAULT_REDACTED_QUERY_PARAMS,
  fieldKey,
  isSecretHeaderName,
} from './names.js'
import { findSecret, placeholder, redactSecrets, SECRET_PATTERNS, type SecretPattern } from './patterns.js'
import { redactPercentRuns, redactTextFields, redactTextParameters } from './text-rules.js'
import type { RedactContext, RedactOptions } from './types.js'

export { DEFAULT_REDACTED_HEADERS, DEFAULT_REDACTED_QUERY_PARAMS } from './names.js'

/** Placeholder of values selected by a user's JSON path. */
export const PATH_PLACEHOLDER: string = placeholder('path')

export interface RedactRules {
  /** Lower-case header names replaced whole. */
  headers: ReadonlySet<string>
  /** Also replace headers whole whose name has a credential's shape (`x-…-token`, `…-api-key`). */
  headerShapes: boolean
  /** JSON member names (normalised by `fieldKey`) whose string value is replaced whole. */
  fields: ReadonlySet<string>
  /** Lower-case query parameter names replaced whole. */
  queryParams: ReadonlySet<string>
  /** The user's JSON paths, or undefined when there are none. */
  paths: PathMatcher | undefined
  /** Patterns replaced wherever they occur in text. */
  patterns: readonly SecretPattern[]
  /** Replace `user:password@` in URLs. */
  userinfo: boolean
  policy: RedactOptions['policy']
}

export function compileRules(options: RedactOptions = {}): RedactRules {
  const defaults = options.defaults !== false
  const lower = (names: readonly string[] | undefined): string[] => (names ?? []).map((name) => name.toLowerCase())
  const paths = (options.paths ?? []).map((path) => compileJsonPath(path, 'redact.paths'))
  const user = (options.patterns ?? []).map((pattern, i) => ({ name: 'pattern', pattern: globalCopy(pattern, i) }))
  return {
    headers: new Set([...(defaults ? DEFAULT_REDACTED_HEADERS : []), ...lower(options.headers)]),
    headerShapes: defaults,
    queryParams: new Set([...(defaults ? DEFAULT_REDACTED_QUERY_PARAMS : []), ...lower(options.queryParams)]),
    fields: new Set([...(defaults ? DEFAULT_REDACTED_FIELDS : []), ...(options.fields ?? []).map(fieldKey)]),
    paths: paths.length > 0 ? new PathMatcher(paths) : undefined,
    patterns: [...(defaults ? SECRET_PATTERNS : []), ...user],
    userinfo: defaults,
    policy: options.policy,
  }
}

/** A global (non-sticky) copy: replacement needs every match, and the caller's lastIndex stays untouched. */
function globalCopy(pattern: RegExp, i: number): RegExp {
  // @note Not `instanceof`: a RegExp made in a Jest test comes from the sandbox's realm.
  if (Object.prototype.toString.call(pattern) !== '[object RegExp]') {
    throw new BadConfigError(`Failed to read redact.patterns[${i}]: it is not a RegExp`, {
      file: 'redact.patterns',
      hint: 'pass regular expressions, e.g. patterns: [/acct_[0-9]{8}/]',
    })
  }
  return new RegExp(pattern.source, `${pattern.flags.replace(/[gy]/g, '')}g`)
}

/**
 * Redact one string: every pattern replaced by its placeholder. Strings are
 * stored JSON-escaped, and an escape can complete a pattern (a JWT's character
 * class includes the backslash): then the whole string becomes the placeholder.
 */
export function redactString(text: string, rules: RedactRules): string {
  const out = redactPlain(text, rules)
  // Nothing JSON.stringify would escape: the stored form is the string itself (checked without building it).
  if (!ESCAPED.test(out)) return out
  const escaped = JSON.stringify(out)
  if (escaped.length === out.length + 2) return out
  if (redactSecrets(escaped, rules.patterns) === escaped) return out
  return placeholder(findSecret(escaped, rules.patterns)?.name ?? 'pattern')
}

/** Text as it is read (not as stored): patterns, key parameters written in text, percent-encoded secrets. */
export function redactPlain(text: string, rules: RedactRules): string {
  const out = redactTextFields(
    redactTextParameters(redactSecrets(text, rules.patterns), rules.queryParams),
    rules.fields,
  )
  return redactPercentRuns(out, rules.patterns)
}

/** A character JSON.stringify writes as an escape (a surrogate only when unpaired, so this may say yes for nothing). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what JSON escapes
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/

/** Whether a header's whole value is replaced: a listed name, or (built-in rules) a credential's shape. */
export function isRedactedHeader(rules: RedactRules, lower: string): boolean {
  return rules.headers.has(lower) || (rules.headerShapes && isSecretHeaderName(lower))
}

/** What the policy hook says about a value, or what the rules decided when it says nothing. */
export function decide(rules: RedactRules, context: RedactContext, decided: JsonValue): JsonValue {
  if (!rules.policy) return decided
  const replacement = rules.policy(context)
  return typeof replacement === 'string' ? replacement : decided
}
