/**
 * The reference canonical writer: builds the text piece by piece, exactly as
 * the format is specified (see canonical-json.ts). It is the slow path, taken
 * when the fast one (canonical-form.ts + native JSON.stringify) cannot promise
 * the same bytes, and the one that names the path of a value JSON cannot hold.
 * Tests compare the two on arbitrary values.
 */
import { NotJsonError, TooDeepError } from '../errors/classes.js'
import type { ReplayKitError } from '../errors.js'
import { MAX_JSON_DEPTH } from './json-structure.js'

/** Serialise with the given indent (0: compact, no trailing newline; 2: the file form). */
export function writeCanonical(value: unknown, indent: 0 | 2): string {
  const out: string[] = []
  write(value, indent === 0 ? '' : '\n', indent === 0 ? '' : ' '.repeat(indent), out, '$', 0)
  return indent === 0 ? out.join('') : `${out.join('')}\n`
}

function write(value: unknown, newline: string, step: string, out: string[], path: string, depth: number): void {
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
      if (depth >= MAX_JSON_DEPTH) throw tooDeep(path)
      if (Array.isArray(value)) {
        writeArray(value, newline, step, out, path, depth + 1)
        return
      }
      if (!isPlainObject(value)) throw notJson(path, Object.prototype.toString.call(value))
      writeObject(value as Record<string, unknown>, newline, step, out, path, depth + 1)
      return
    default:
      throw notJson(path, typeof value)
  }
}

function writeArray(value: unknown[], newline: string, step: string, out: string[], path: string, depth: number): void {
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
    write(item === undefined ? null : item, inner, step, out, `${path}[${i}]`, depth)
  }
  out.push(newline, ']')
}

function writeObject(
  value: Record<string, unknown>,
  newline: string,
  step: string,
  out: string[],
  path: string,
  depth: number,
): void {
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
    write(value[key], inner, step, out, `${path}.${key}`, depth)
  }
  out.push(newline, '}')
}

/** Plain objects and null-prototype objects; class instances (Date, Map, …) are not JSON. */
export function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function notJson(path: string, what: string): ReplayKitError {
  return new NotJsonError(`Failed to serialise: the value at ${path} is ${what}, which JSON cannot hold.`, {
    hint: 'convert it to a string, number, boolean, null, array or plain object before it is recorded.',
  })
}

function tooDeep(path: string): ReplayKitError {
  return new TooDeepError(
    `Failed to serialise: the value at ${path.length > 200 ? `${path.slice(0, 200)}…` : path} nests deeper than ${MAX_JSON_DEPTH} levels, the most a recording may hold.`,
    { hint: 'store a value this deep as a string (JSON.stringify it) before it is recorded.' },
  )
}
