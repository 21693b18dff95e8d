/**
 * The stored form of what `fn` returned (docs/engine.md, "The outcome"): JSON
 * that keeps what a reader and the outcome check need, where `JSON.stringify`
 * would lose it.
 *
 * @note `JSON.stringify` stores a circular value as nothing (it throws) and a
 * fetch `Response`, a `Map`, a `Set` or an `Error` as `{}`: the outcome check
 * then compares nothing. The forms here are faithful and deterministic:
 * - plain values, arrays, objects and `toJSON()` (Date, Buffer, user classes) as `JSON.stringify` does;
 * - a reference back to an ancestor: `"[Circular $.path]"`, the ancestor's path;
 * - `Response`: `{ "$type": "Response", status, statusText, url, headers, bodyUsed }` (the body is
 *   a stream the code may still read; it is not consumed);
 * - `Map`: `{ "$type": "Map", entries: [[key, value], …] }`; `Set`: `{ "$type": "Set", values: […] }`;
 * - `Error`: `{ "$type": "Error", name, message, …its own enumerable fields (code, status) }`;
 * - typed arrays and `ArrayBuffer`: `{ "$type": "Uint8Array", base64 }` (Buffer keeps its `toJSON`);
 * - `bigint`: its decimal string; an invalid Date: `null` (its `toJSON`);
 * - nesting deeper than `MAX_OUTCOME_DEPTH`: `"[Nested deeper than 500 levels]"` at the cut, so the
 *   file stays under the `.rpk` nesting limit (512, RPK_TOO_DEEP) instead of failing the write.
 */
import type { JsonValue } from '../artifact/types.js'

/** Levels of the returned value kept: the `.rpk` limit (512) less the levels the file wraps it in. */
export const MAX_OUTCOME_DEPTH = 500

const TOO_DEEP = `[Nested deeper than ${MAX_OUTCOME_DEPTH} levels]`

/** The stored form of a returned value; undefined for `undefined`, a function or a symbol. */
export function outcomeJson(value: unknown): JsonValue | undefined {
  return walk(value, '', '$', [], [])
}

function walk(value: unknown, key: string, path: string, ancestors: object[], paths: string[]): JsonValue | undefined {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value === 'bigint') return value.toString()
  if (typeof value !== 'object') return undefined
  const seen = ancestors.indexOf(value)
  if (seen >= 0) return `[Circular ${paths[seen]}]`
  if (ancestors.length >= MAX_OUTCOME_DEPTH) return TOO_DEEP
  ancestors.push(value)
  paths.push(path)
  try {
    return walkObject(value, key, path, ancestors, paths)
  } finally {
    ancestors.pop()
    paths.pop()
  }
}

function walkObject(
  value: object,
  key: string,
  path: string,
  ancestors: object[],
  paths: string[],
): JsonValue | undefined {
  const child = (v: unknown, k: string, p: string) => walk(v, k, p, ancestors, paths)
  const tag = Object.prototype.toString.call(value)
  if (isResponse(value)) return responseJson(value)
  if (tag === '[object Map]') {
    const entries = [...(value as Map<unknown, unknown>).entries()].map(([k, v], i) => [
      child(k, '0', `${path}.entries[${i}][0]`) ?? null,
      child(v, '1', `${path}.entries[${i}][1]`) ?? null,
    ])
    return { $type: 'Map', entries }
  }
  if (tag === '[object Set]') {
    const values = [...(value as Set<unknown>)].map((v, i) => child(v, String(i), `${path}.values[${i}]`) ?? null)
    return { $type: 'Set', values }
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON
  if (typeof toJSON === 'function') return child((toJSON as (key: string) => unknown).call(value, key), key, path)
  if (tag === '[object Error]') return errorJson(value as Error, path, child)
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return bytesJson(value)
  if (Array.isArray(value)) return value.map((v, i) => child(v, String(i), `${path}[${i}]`) ?? null)
  const out: { [key: string]: JsonValue } = {}
  for (const k of Object.keys(value)) {
    const v = child((value as Record<string, unknown>)[k], k, `${path}${member(k)}`)
    if (v !== undefined) out[k] = v
  }
  return out
}

/** A fetch Response (this realm's or another's, e.g. undici's own class): duck-typed. */
function isResponse(value: object): value is Response {
  if (typeof Response === 'function' && value instanceof Response) return true
  const v = value as Partial<Response>
  return (
    Object.prototype.toString.call(value) === '[object Response]' &&
    typeof v.status === 'number' &&
    typeof v.headers === 'object'
  )
}

function responseJson(response: Response): JsonValue {
  const headers: { [name: string]: string } = {}
  for (const [name, value] of response.headers) headers[name] = value
  return {
    $type: 'Response',
    status: response.status,
    statusText: response.statusText,
    url: response.url,
    headers,
    bodyUsed: response.bodyUsed,
  }
}

function errorJson(
  error: Error,
  path: string,
  child: (v: unknown, k: string, p: string) => JsonValue | undefined,
): JsonValue {
  const out: { [key: string]: JsonValue } = { $type: 'Error', name: String(error.name), message: String(error.message) }
  for (const k of Object.keys(error)) {
    if (k === 'stack' || k in out) continue
    const v = child((error as unknown as Record<string, unknown>)[k], k, `${path}${member(k)}`)
    if (v !== undefined) out[k] = v
  }
  return out
}

function bytesJson(value: ArrayBufferView | ArrayBuffer): JsonValue {
  const bytes =
    value instanceof ArrayBuffer
      ? new Uint8Array(value)
      : new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
  const type = Object.prototype.toString.call(value).slice(8, -1)
  return { $type: type, base64: Buffer.from(bytes).toString('base64') }
}

function member(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`
}
