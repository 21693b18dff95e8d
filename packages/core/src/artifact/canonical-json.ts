/**
 * Canonical JSON: the one serialisation every `.rpk` is written in.
 *
 * Keys sorted by UTF-16 code unit (the order of `Array.prototype.sort`, the same
 * on every engine), numbers in ECMAScript's shortest round-trip form (`-0`
 * becomes `0`), strings escaped as `JSON.stringify` does, 2-space indent, `\n`
 * line ends and a trailing newline. The same value therefore gives the same
 * bytes on Linux, macOS and Windows, and a git diff of two recordings shows only
 * what changed.
 */
import { ReplayKitError } from '../errors.js'
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
  const out: string[] = []
  write(value, indent === 0 ? '' : '\n', indent === 0 ? '' : ' '.repeat(indent), out, '$')
  return indent === 0 ? out.join('') : `${out.join('')}\n`
}

/** Compact canonical form (no whitespace), for hashing and matching keys. */
export function canonicalKey(value: unknown): string {
  return canonicalStringify(value, { indent: 0 })
}

/** Parse JSON text and re-serialise it canonically: independent of input whitespace and key order. */
export function canonicalizeText(text: string): string {
  return canonicalStringify(JSON.parse(text) as JsonValue)
}

function write(value: unknown, newline: string, step: string, out: string[], path: string): void {
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value))
      return
    case 'boolean':
      out.push(value ? 'true' : 'false')
      return
    case 'number':
      if (!Number.isFinite(value)) throw notJson(path, String(value))
      // JSON.stringify gives the shortest round-trip form and turns -0 into 0.
      out.push(JSON.stringify(value))
      return
    case 'object':
      if (value === null) {
        out.push('null')
        return
      }
      if (Array.isArray(value)) {
        writeArray(value, newline, step, out, path)
        return
      }
      if (!isPlainObject(value)) throw notJson(path, Object.prototype.toString.call(value))
      writeObject(value as Record<string, unknown>, newline, step, out, path)
      return
    default:
      throw notJson(path, typeof value)
  }
}

function writeArray(value: unknown[], newline: string, step: string, out: string[], path: string): void {
  if (value.length === 0) {
    out.push('[]')
    return
  }
  const inner = newline + step
  out.push('[')
  for (let i = 0; i < value.length; i++) {
    if (i > 0) out.push(',')
    out.push(inner)
    // Like JSON.stringify, holes and undefined in arrays become null.
    const item = value[i]
    write(item === undefined ? null : item, inner, step, out, `${path}[${i}]`)
  }
  out.push(newline, ']')
}

function writeObject(value: Record<string, unknown>, newline: string, step: string, out: string[], path: string): void {
  const keys = Object.keys(value)
    .filter((key) => value[key] !== undefined)
    .sort()
  if (keys.length === 0) {
    out.push('{}')
    return
  }
  const inner = newline + step
  const colon = step === '' ? ':' : ': '
  out.push('{')
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string
    if (i > 0) out.push(',')
    out.push(inner, JSON.stringify(key), colon)
    write(value[key], inner, step, out, `${path}.${key}`)
  }
  out.push(newline, '}')
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function notJson(path: string, what: string): ReplayKitError {
  return new ReplayKitError(
    'RPK_NOT_JSON',
    `Failed to serialise: the value at ${path} is ${what}, which JSON cannot hold.`,
    {
      hint: 'convert it to a string, number, boolean, null, array or plain object before it is recorded.',
    },
  )
}
