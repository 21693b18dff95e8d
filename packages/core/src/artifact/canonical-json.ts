/**
 * Canonical JSON: the one serialisation every `.rpk` is written in.
 *
 * Keys sorted by UTF-16 code unit (the order of `Array.prototype.sort`, the same
 * on every engine), numbers in ECMAScript's shortest round-trip form (`-0`
 * becomes `0`), strings escaped as `JSON.stringify` does, 2-space indent, `\n`
 * line ends and a trailing newline. The same value therefore gives the same
 * bytes on Linux, macOS and Windows, and a git diff of two recordings shows only
 * what changed.
 *
 * Two writers give these bytes: native `JSON.stringify` over a key-sorted form
 * of the value (canonical-form.ts), several times faster, and the reference
 * writer (canonical-writer.ts), used when the fast one cannot promise the same
 * bytes and to report values JSON cannot hold.
 */
import { canonicalForm, NO_FORM } from './canonical-form.js'
import { writeCanonical } from './canonical-writer.js'
import type { JsonValue } from './types.js'

export interface CanonicalOptions {
  /** Indent width; 0 gives the compact form used for hashing and matching keys. */
  indent?: 0 | 2
}

/**
 * Serialise a JSON value canonically.
 *
 * `undefined` object members are left out (as `JSON.stringify` does); any other
 * value that is not JSON (NaN, Infinity, bigint, functions, symbols, class
 * instances other than plain objects and arrays) is an error, so nothing is
 * written that would not read back the same.
 *
 * @example canonicalStringify({ b: 1, a: [true, null] }) // '{\n  "a": [\n    true,\n    null\n  ],\n  "b": 1\n}\n'
 */
export function canonicalStringify(value: unknown, options: CanonicalOptions = {}): string {
  const indent = options.indent ?? 2
  const form = canonicalForm(value)
  if (form === NO_FORM) return writeCanonical(value, indent)
  return stringifyForm(form, indent)
}

/** Compact canonical form (no whitespace), for hashing and matching keys. */
export function canonicalKey(value: unknown): string {
  return canonicalStringify(value, { indent: 0 })
}

/** Parse JSON text and re-serialise it canonically: independent of input whitespace and key order. */
export function canonicalizeText(text: string): string {
  return canonicalStringify(JSON.parse(text) as JsonValue)
}

/** The canonical text of a value returned by `canonicalForm` (never NO_FORM). */
export function stringifyForm(form: unknown, indent: 0 | 2): string {
  return indent === 0 ? (JSON.stringify(form) as string) : `${JSON.stringify(form, null, indent)}\n`
}
