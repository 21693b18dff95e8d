/**
 * Redaction of URLs: key query parameters, credentials before the host, and
 * secret patterns anywhere in the path or query.
 *
 * Works on the text, not through `URL`: re-serialising would re-encode the
 * query and change the normalised URL that matching compares.
 */
import { placeholder } from './patterns.js'
import { decide, type RedactRules, redactString } from './rules.js'

const USERINFO = /^([a-z][a-z\d+.-]*:\/\/)([^/?#@]*)@/i

export function redactUrl(url: string, rules: RedactRules): string {
  const hashAt = url.indexOf('#')
  const head = hashAt < 0 ? url : url.slice(0, hashAt)
  const fragment = hashAt < 0 ? '' : redactString(url.slice(hashAt), rules)
  const queryAt = head.indexOf('?')
  let base = queryAt < 0 ? head : head.slice(0, queryAt)
  if (rules.userinfo) base = base.replace(USERINFO, (_all, scheme: string) => `${scheme}${placeholder('userinfo')}@`)
  // Path segments one by one: a segment can hold a percent-encoded secret.
  base = base
    .split('/')
    .map((segment) => redactComponent(segment, rules, false))
    .join('/')
  if (queryAt < 0) return redactString(base + fragment, rules)
  const query = head
    .slice(queryAt + 1)
    .split('&')
    .map((part) => redactParameter(part, rules, url))
    .join('&')
  // Last, the whole text: a secret can span parts (a key block cut by "#").
  return redactString(`${base}?${query}${fragment}`, rules)
}

function redactParameter(part: string, rules: RedactRules, url: string): string {
  const eq = part.indexOf('=')
  if (eq < 0) return redactString(part, rules)
  const rawName = part.slice(0, eq)
  const rawValue = part.slice(eq + 1)
  const name = decode(rawName)
  let value: string
  if (rules.queryParams.has(name.toLowerCase())) {
    value = placeholder(name.toLowerCase())
  } else {
    value = redactComponent(rawValue, rules, true)
  }
  if (rules.policy) {
    const decided = decide(rules, { location: 'query', name, value: decode(rawValue), url }, value)
    if (decided !== value) value = encode(String(decided))
  }
  return `${rawName}=${value}`
}

/** A path segment or parameter value: patterns on the raw text, then on the decoded text (percent-encoding hides secrets). */
function redactComponent(raw: string, rules: RedactRules, query: boolean): string {
  const value = redactString(raw, rules)
  const decoded = decode(value, query)
  const clean = redactString(decoded, rules)
  return clean === decoded ? value : encode(clean)
}

/** Percent-decoding; in a query `+` is a space. Malformed escapes are left as they are. */
function decode(text: string, query = true): string {
  try {
    return decodeURIComponent(query ? text.replace(/\+/g, ' ') : text)
  } catch {
    return text
  }
}

/** Percent-encode a replacement, leaving placeholders readable (`[`, `]` and `:` are fine in a query). */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/%5B/g, '[').replace(/%5D/g, ']').replace(/%3A/g, ':')
}
