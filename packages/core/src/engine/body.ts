/**
 * Bodies as stored in a recording: parsed JSON when the content type says JSON
 * (readable and diffable in review), text for other textual types, base64 for
 * anything binary. The reverse turns a stored body back into bytes for replay.
 */
import type { Body, JsonValue } from '../artifact/types.js'

const TEXT_TYPE =
  /^(text\/|application\/(?:[\w.+-]*\+)?(?:json|xml|x-www-form-urlencoded|javascript|x-ndjson|jsonl|graphql))/i
const JSON_TYPE = /^application\/(?:[\w.+-]*\+)?json\b|^text\/json\b/i

const decoder = new TextDecoder('utf-8', { fatal: true })

/**
 * Decode raw bytes into a stored body; undefined for an empty body.
 *
 * @param sniffJson also read JSON-looking text declared as another type as JSON. Right for
 * requests (fetch labels a string body text/plain), where the stored form is only matched and
 * shown; wrong for responses, whose bytes replay must give back as they were.
 */
export function decodeBody(bytes: Uint8Array, contentType: string | undefined, sniffJson = false): Body | undefined {
  if (bytes.byteLength === 0) return undefined
  const type = contentType ?? ''
  let text: string
  try {
    text = decoder.decode(bytes)
  } catch {
    // Not UTF-8: keep the exact bytes.
    return { base64: Buffer.from(bytes).toString('base64') }
  }
  if (JSON_TYPE.test(type) || ((type === '' || sniffJson) && looksLikeJson(text))) {
    try {
      return { json: JSON.parse(text) as JsonValue }
    } catch {
      return { text }
    }
  }
  if (TEXT_TYPE.test(type) || type === '' || isPrintable(text)) return { text }
  return { base64: Buffer.from(bytes).toString('base64') }
}

/** Bytes (or text) to send for a stored body on replay. */
export function encodeBody(body: Body | undefined, blobs?: Record<string, Body>): string | Uint8Array | undefined {
  if (!body) return undefined
  if ('blob' in body) return encodeBody(blobs?.[body.blob], blobs)
  if ('json' in body) return JSON.stringify(body.json)
  if ('text' in body) return body.text
  return Buffer.from(body.base64, 'base64')
}

/** The JSON value of a body, if it has one (used by matching and provider adapters). */
export function bodyJson(body: Body | undefined): JsonValue | undefined {
  return body && 'json' in body ? body.json : undefined
}

function looksLikeJson(text: string): boolean {
  const first = text.trimStart()[0]
  return first === '{' || first === '['
}

function isPrintable(text: string): boolean {
  // Control characters other than tab, CR and LF mean binary in disguise.
  const head = text.slice(0, 4096)
  for (let i = 0; i < head.length; i++) {
    const code = head.charCodeAt(i)
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) return false
  }
  return true
}
