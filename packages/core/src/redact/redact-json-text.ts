/**
 * Redaction of a JSON document kept as text: a response body too large to
 * hold parsed, stored as `{ text }` (engine/body.ts). Every string in it,
 * member names included, is redacted as `redactJson` redacts the strings of
 * the parsed value: escapes are decoded first (a key written `\u0073k-…` is
 * caught), and a replaced string is written back JSON-escaped. Everything else
 * stays byte for byte, and a document without secrets is returned as it is,
 * with nothing built.
 *
 * JSON paths and the policy are defined on the parsed value: with either, the
 * redactor parses the document instead (redactor.ts).
 */
import { fieldKey } from './names.js'
import { placeholder } from './patterns.js'
import { type RedactRules, redactString } from './rules.js'

/** What a JSON document holds between its strings: whitespace, punctuation, numbers, true, false and null. */
const BETWEEN_STRINGS = /[\t\n\r [\]{},:0-9.eE+\-aflnrstu]*/y

const BACKSLASH = 92

/** Member names remembered per document: a large listing repeats the same few. */
const MAX_NAMES = 1024

/**
 * The document with every string redacted, or undefined when the text is not
 * shaped like JSON (something else between strings, or a string left open):
 * the caller then redacts it as plain text.
 */
export function redactJsonText(text: string, rules: RedactRules): string | undefined {
  const names = new Map<string, string>()
  let parts: string[] | undefined
  let copied = 0
  let pos = 0
  // The next backslash at or after `pos` (text.length when there is none): strings without one are read as they are.
  let backslash = -1
  // The placeholder for the value of the member name just read, when the name says credential (`"api_key":`).
  let field: string | null = null
  let fieldEnd = -1
  // `token` is a token of text in OpenAI's log probabilities: there it is no credential.
  const tokenIsText = text.includes('"logprob"')
  for (;;) {
    const quote = text.indexOf('"', pos)
    const stop = quote === -1 ? text.length : quote
    BETWEEN_STRINGS.lastIndex = pos
    BETWEEN_STRINGS.test(text)
    if (BETWEEN_STRINGS.lastIndex < stop) return undefined
    if (quote === -1) break
    const end = closingQuote(text, quote)
    if (end === -1) return undefined
    if (backslash < quote) {
      backslash = text.indexOf('\\', quote)
      if (backslash === -1) backslash = text.length
    }
    let value: string
    if (backslash < end) {
      try {
        value = JSON.parse(text.slice(quote, end + 1)) as string
      } catch {
        return undefined
      }
    } else value = text.slice(quote + 1, end)
    let redacted: string
    if (isMemberName(text, end + 1)) {
      const known = names.get(value)
      redacted = known ?? redactString(value, rules)
      if (known === undefined && names.size < MAX_NAMES) names.set(value, redacted)
      const key = fieldKey(value)
      field = rules.fields.has(key) && !(key === 'token' && tokenIsText) ? placeholder(key) : null
      fieldEnd = end
    } else if (
      field !== null &&
      value !== '' &&
      !value.startsWith('[REDACTED:') &&
      onlyColon(text, fieldEnd + 1, quote)
    ) {
      redacted = field
      field = null
    } else {
      redacted = redactString(value, rules)
      field = null
    }
    // @note A string written with escapes is scanned as written too: `\u0041://$:$@` reads as URL
    // credentials to the pre-write scan though its decoded form is clean. Such a string is written
    // back plainly escaped, as JSON.stringify writes it.
    const rewrite = redacted !== value || (backslash < end && escapesLookSecret(text.slice(quote + 1, end), rules))
    if (rewrite) {
      parts ??= []
      parts.push(text.slice(copied, quote), JSON.stringify(redacted))
      copied = end + 1
    }
    pos = end + 1
  }
  if (!parts) return text
  parts.push(text.slice(copied))
  return parts.join('')
}

/** True when a pattern finds something in a string's escaped source text. */
function escapesLookSecret(source: string, rules: RedactRules): boolean {
  return redactString(source, rules) !== source
}

/** The index of the quote that closes the string opened at `open`; -1 when it is never closed. */
function closingQuote(text: string, open: number): number {
  let from = open + 1
  for (;;) {
    const quote = text.indexOf('"', from)
    if (quote === -1) return -1
    // Escaped when an odd number of backslashes comes right before it.
    let before = quote - 1
    while (before > open && text.charCodeAt(before) === BACKSLASH) before--
    if ((quote - 1 - before) % 2 === 0) return quote
    from = quote + 1
  }
}

/** Whether the text between a member name and a value is a colon and whitespace alone (the value is a string). */
function onlyColon(text: string, from: number, to: number): boolean {
  let colons = 0
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i)
    if (code === 0x3a) colons++
    else if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) return false
  }
  return colons === 1
}

/** Whether the string that ends before `at` is a member name (a colon follows it). */
function isMemberName(text: string, at: number): boolean {
  for (let i = at; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code === 0x3a) return true
    if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) return false
  }
  return false
}
