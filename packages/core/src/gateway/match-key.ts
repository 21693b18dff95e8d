/**
 * How the gateway matches a request to a recorded one: method, provider, the
 * origin-free API path and the body, without the fields agents change on every
 * identical run (checked against Claude Code 2.1.197 and Codex 0.169.0, see
 * docs/gateway-routes.md): Claude Code's `metadata.user_id` (a new session id
 * each run), Codex's `prompt_cache_key`, `client_metadata` and the ids of its
 * `input` items. Nothing more is ignored.
 *
 * @note Origin-free: a session recorded against one upstream (a local fake, a
 * proxy) replays whatever upstream the replaying gateway is configured with.
 */
import { canonicalKey } from '../artifact/canonical-json.js'
import type { Body, HttpRequestData, JsonValue } from '../artifact/types.js'
import { compileJsonPath, removePaths } from '../redact/json-path-select.js'

const VOLATILE = ['$.metadata.user_id', '$.prompt_cache_key', '$.client_metadata', '$.input[*].id'].map((path) =>
  compileJsonPath(path),
)

/** The body as matched: JSON without the volatile fields, or the text. */
export function matchedBody(body: Body | undefined): JsonValue {
  if (!body) return null
  if ('json' in body) {
    const json = body.json
    return json !== null && typeof json === 'object' ? removePaths(json, VOLATILE) : json
  }
  if ('text' in body) return body.text
  if ('base64' in body) return body.base64
  return body.blob
}

/** The path below the provider's root, with the query, whatever the origin. */
export function apiPathOf(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.pathname.replace(/^\/v1(?=\/|$)/, '')}${parsed.search}`
  } catch {
    return url
  }
}

export function gatewayKey(request: HttpRequestData): string {
  return canonicalKey([request.method.toUpperCase(), apiPathOf(request.url), matchedBody(request.body)])
}
