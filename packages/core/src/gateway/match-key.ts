/**
 * How the gateway matches a request to a recorded one: method, provider, the
 * origin-free API path and the body, without the fields agents change on every
 * identical run (checked against Claude Code 2.1.197 and Codex 0.169.0, see
 * docs/gateway-routes.md): Claude Code's `metadata.user_id` (a new session id
 * each run), Codex's `prompt_cache_key`, `client_metadata` and the ids of its
 * `input` items, and the two header lines Codex's `exec_command` tool puts before what the
 * command printed in a `function_call_output` (`Chunk ID: 3f2a1c`, `Wall time: 0.0512 seconds`,
 * new on every run; see codexToolOutput). Nothing more is ignored.
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
    return json !== null && typeof json === 'object' ? codexToolOutputs(removePaths(json, VOLATILE)) : json
  }
  if ('text' in body) return body.text
  if ('base64' in body) return body.base64
  return body.blob
}

/** `Chunk ID: …` and `Wall time: … seconds` lines of a Codex `exec_command` output, at its start. */
const CODEX_EXEC_HEADER = /^Chunk ID: [0-9a-f]+\nWall time: [0-9.]+ seconds\n/

/**
 * The body with the per-run header of each Codex `exec_command` output replaced by a fixed
 * one: the same command printing the same output gives the same key. Only `function_call_output`
 * items of an `input` list whose output starts with exactly that header are touched (checked with
 * Codex 0.169.0, whose other lines, exit code and output included, stay as they are).
 */
function codexToolOutputs(json: JsonValue): JsonValue {
  if (json === null || typeof json !== 'object' || Array.isArray(json) || !Array.isArray(json.input)) return json
  let changed = false
  const input = json.input.map((item) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item
    if (item.type !== 'function_call_output' || typeof item.output !== 'string') return item
    if (!CODEX_EXEC_HEADER.test(item.output)) return item
    changed = true
    return { ...item, output: item.output.replace(CODEX_EXEC_HEADER, 'Chunk ID: -\nWall time: - seconds\n') }
  })
  return changed ? { ...json, input } : json
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
