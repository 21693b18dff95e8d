/**
 * Match keys: what makes two requests "the same request" for replay.
 *
 * Method + normalised URL + canonical body, after redaction (so a different API
 * key still matches) and with the user's ignore paths removed. Headers take
 * no part unless named: SDKs send volatile ones (`x-stainless-*`, user agents,
 * retry counts) that would break every replay.
 */
import { canonicalKey } from '../artifact/canonical-json.js'
import type { Body, HttpRequestData, JsonValue } from '../artifact/types.js'
import { compileJsonPath, removePaths } from '../redact/json-path-select.js'
import type { MatchInput, MatchOptions } from './types.js'

export type KeyFunction = (request: HttpRequestData) => string

export function createKeyFunction(options: MatchOptions = {}): KeyFunction {
  const ignore = (options.ignorePaths ?? []).map((path) => compileJsonPath(path))
  const headerNames = (options.headers ?? []).map((name) => name.toLowerCase())
  return (request) => {
    let body = matchBody(request.body)
    if (ignore.length > 0 && body !== null && typeof body === 'object') body = removePaths(body, ignore)
    const headers: Record<string, string> = {}
    for (const name of headerNames) {
      const value = request.headers[name]
      if (value !== undefined) headers[name] = value
    }
    const input: MatchInput = { method: request.method.toUpperCase(), url: request.url, body, headers }
    if (options.key) return canonicalKey(JSON.parse(JSON.stringify(options.key(input) ?? null)) as JsonValue)
    return canonicalKey([input.method, input.url, input.body ?? null, input.headers])
  }
}

function matchBody(body: Body | undefined): JsonValue | undefined {
  if (!body) return undefined
  if ('json' in body) return body.json
  if ('text' in body) return body.text
  if ('base64' in body) return body.base64
  return body.blob
}
