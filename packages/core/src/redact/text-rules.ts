/**
 * Rules on plain text beyond the secret patterns: key parameters written in
 * text (an error message quoting `…?key=…`, a form body `api_key=…`), and
 * secrets hidden by percent-encoding (`sk%2Dproj%2D…`).
 *
 * Both run in one linear pass: parameters start only at `?`, `&` or the start
 * of the text, and a value stops at the next of these; a percent-encoded run
 * is decoded once and scanned from where the previous run ended. Written as
 * loops over character codes: a regular expression with a replacement function
 * is ten times slower on a text full of parameters.
 */
import { fieldKey } from './names.js'
import { placeholder, redactSecrets, type SecretPattern } from './patterns.js'

/** Replace the values of key parameters (`names`, lower-case) written in text by their placeholder. */
export function redactTextParameters(text: string, names: ReadonlySet<string>): string {
  if (names.size === 0 || !text.includes('=')) return text
  let out: string[] | undefined
  let copied = 0
  // A parameter starts at the text's start or after `?` / `&`; its value ends at the next of these.
  let start = 0
  while (start < text.length) {
    const eq = nameEnd(text, start)
    const next = nextDelimiter(text, eq < 0 ? start : eq + 1)
    if (eq > start) {
      const lower = text.slice(start, eq).toLowerCase()
      const value = text.slice(eq + 1, valueEnd(text, eq + 1, next))
      if (value !== '' && !value.startsWith('[REDACTED:') && names.has(lower) && !isStandIn(value)) {
        out ??= []
        out.push(text.slice(copied, eq + 1), placeholder(lower))
        copied = eq + 1 + value.length
      }
    }
    if (next < 0) break
    start = next + 1
  }
  if (!out) return text
  out.push(text.slice(copied))
  return out.join('')
}

/**
 * A value written for a reader, not a credential: `YOUR_API_KEY` (capitals and `_`, no digit), `<key>`, `{token}`, `$TOKEN`,
 * `xxxx`, `***`. A model's answer quoting an example URL keeps it, so its replayed text is the text
 * the test saw when it was recorded.
 */
function isStandIn(value: string): boolean {
  return /^(?:[A-Z][A-Z_]*|[<{$].*|[x*.]+)$/.test(value)
}

/** The index of the `=` ending a parameter name that starts at `start` (1 to 64 name characters), or -1. */
function nameEnd(text: string, start: number): number {
  const stop = Math.min(text.length, start + 65)
  for (let i = start; i < stop; i++) {
    const code = text.charCodeAt(i)
    if (code === 0x3d) return i
    const name =
      (code >= 0x30 && code <= 0x39) ||
      (code >= 0x41 && code <= 0x5a) ||
      (code >= 0x61 && code <= 0x7a) ||
      code === 0x5f ||
      code === 0x2e ||
      code === 0x2d
    if (!name) return -1
  }
  return -1
}

/** The next `?` or `&` at or after `from`, or -1. */
function nextDelimiter(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code === 0x3f || code === 0x26) return i
  }
  return -1
}

/** Where a value ends: the next delimiter, whitespace, `#`, a quote or an angle bracket. */
function valueEnd(text: string, from: number, delimiter: number): number {
  const stop = delimiter < 0 ? text.length : delimiter
  for (let i = from; i < stop; i++) {
    const code = text.charCodeAt(i)
    if (code <= 0x20 || code === 0x23 || code === 0x22 || code === 0x27 || code === 0x3c || code === 0x3e) return i
  }
  return stop
}

/**
 * Replace the string values of members named like credentials (`fields`, as `fieldKey` gives
 * them) in JSON written as text (a JSON body kept as text, an error message quoting one, tool
 * arguments sent as a string): `"api_key": "…"`. A loop, not a regular expression with a
 * replacement function: a name is at most 64 characters, the colon at most 16 spaces away, and
 * a value (without escapes) at most 4096 characters, so no part of the text is read twice.
 */
export function redactTextFields(text: string, fields: ReadonlySet<string>): string {
  if (fields.size === 0 || !text.includes('":')) return text
  let out: string[] | undefined
  let copied = 0
  let quote = text.indexOf('"')
  while (quote >= 0) {
    const nameEnd = scanName(text, quote + 1)
    if (nameEnd < 0) {
      quote = text.indexOf('"', quote + 1)
      continue
    }
    const open = valueOpen(text, nameEnd + 1)
    const close = open < 0 ? -1 : valueClose(text, open + 1)
    if (close < 0) {
      quote = text.indexOf('"', nameEnd)
      continue
    }
    const key = fieldKey(text.slice(quote + 1, nameEnd))
    if (fields.has(key) && !text.startsWith('[REDACTED:', open + 1) && !isStandIn(text.slice(open + 1, close))) {
      out ??= []
      out.push(text.slice(copied, open + 1), placeholder(key))
      copied = close
    }
    quote = text.indexOf('"', close + 1)
  }
  if (!out) return text
  out.push(text.slice(copied))
  return out.join('')
}

/** The closing quote of a member name of 1 to 64 name characters starting at `from`, or -1. */
function scanName(text: string, from: number): number {
  const stop = Math.min(text.length, from + 65)
  for (let i = from; i < stop; i++) {
    const code = text.charCodeAt(i)
    if (code === 0x22) return i > from ? i : -1
    const name =
      (code >= 0x30 && code <= 0x39) ||
      (code >= 0x41 && code <= 0x5a) ||
      (code >= 0x61 && code <= 0x7a) ||
      code === 0x5f ||
      code === 0x2d
    if (!name) return -1
  }
  return -1
}

/** The opening quote of a string value after `: ` (at most 16 spaces each side), or -1. */
function valueOpen(text: string, from: number): number {
  let i = from
  const space = (): void => {
    const stop = Math.min(text.length, i + 16)
    while (
      i < stop &&
      (text.charCodeAt(i) === 0x20 ||
        text.charCodeAt(i) === 0x0a ||
        text.charCodeAt(i) === 0x0d ||
        text.charCodeAt(i) === 0x09)
    )
      i++
  }
  space()
  if (text.charCodeAt(i) !== 0x3a) return -1
  i++
  space()
  return text.charCodeAt(i) === 0x22 ? i : -1
}

/** The closing quote of a value of 1 to 4096 characters without escapes starting at `from`, or -1. */
function valueClose(text: string, from: number): number {
  const stop = Math.min(text.length, from + 4097)
  for (let i = from; i < stop; i++) {
    const code = text.charCodeAt(i)
    if (code === 0x22) return i > from ? i : -1
    if (code === 0x5c) return -1
  }
  return -1
}

const HEX = /^[0-9A-Fa-f]{2}$/

/** Characters of a percent-encoded run: the unreserved set, `%` and what encoders leave as is. */
function inRun(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    code === 0x25 || // %
    code === 0x2d || // -
    code === 0x2e || // .
    code === 0x5f || // _
    code === 0x7e || // ~
    code === 0x2b || // +
    code === 0x2a || // *
    code === 0x21 // !
  )
}

/**
 * Decode every run of percent-encoded text that hides a secret (`sk%2Dproj%2D…`) and write it
 * back redacted and encoded again; text without `%XX` is returned as it is.
 */
export function redactPercentRuns(text: string, patterns: readonly SecretPattern[]): string {
  let from = text.indexOf('%')
  if (from < 0) return text
  let out: string[] | undefined
  let copied = 0
  while (from >= 0 && from < text.length) {
    if (!HEX.test(text.slice(from + 1, from + 3))) {
      from = text.indexOf('%', from + 1)
      continue
    }
    let start = from
    while (start > copied && inRun(text.charCodeAt(start - 1))) start--
    let end = from + 1
    while (end < text.length && inRun(text.charCodeAt(end))) end++
    const run = text.slice(start, end)
    const decoded = percentDecode(run)
    const clean = redactSecrets(decoded, patterns)
    if (clean !== decoded) {
      out ??= []
      out.push(text.slice(copied, start), encode(clean))
      copied = end
    }
    from = text.indexOf('%', end)
  }
  if (!out) return text
  out.push(text.slice(copied))
  return out.join('')
}

/** Percent-decoding that never throws: a stray `%` stays, bytes that are not UTF-8 decode one by one. */
function percentDecode(text: string): string {
  const fixed = text.replace(STRAY_PERCENT, '%25')
  try {
    return decodeURIComponent(fixed)
  } catch {
    // @note Native and linear, unlike a replacement callback per escape; deprecated only for web pages.
    return unescape(fixed)
  }
}

const STRAY_PERCENT = /%(?![0-9A-Fa-f]{2})/g

/** Percent-encode a redacted run, leaving placeholders readable. */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/%5B/g, '[').replace(/%5D/g, ']').replace(/%3A/g, ':')
}
