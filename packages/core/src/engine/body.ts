/**
 * Bodies as stored in a recording: parsed JSON when the content type says JSON
 * (readable and diffable in review), text for other textual types, base64 for
 * anything binary. The reverse turns a stored body back into bytes for replay.
 *
 * A JSON response body over `LARGE_JSON_BYTES` is stored as its text instead:
 * parsed, a JSON document of many small values takes two to three times its
 * size in memory, on top of the text it was parsed from. The text replays
 * byte for byte, and is redacted string by string as the parsed value would
 * be (redact/redact-json-text.ts).
 *
 * A JSON body that would not write back as the same data is stored as its text
 * too: a number JSON.parse cannot hold exactly (`12345678901234567890123`,
 * `1e400`) or nesting deeper than a recording may hold (MAX_BODY_JSON_DEPTH).
 * Replay then gives the server's exact bytes.
 */
import { isUtf8 } from 'node:buffer'
import { isFaithfulJson } from '../artifact/json-structure.js'
import type { Body, JsonValue } from '../artifact/types.js'
import { markJsonText } from '../redact/hand-over.js'

const TEXT_TYPE =
  /^(text\/|application\/(?:[\w.+-]*\+)?(?:json|xml|x-www-form-urlencoded|javascript|x-ndjson|jsonl|graphql))/i
const JSON_TYPE = /^application\/(?:[\w.+-]*\+)?json\b|^text\/json\b/i

/** JSON response bodies larger than this (in bytes) are stored as text, not parsed (16 MiB). */
export const LARGE_JSON_BYTES: number = 16 * 1024 * 1024

const decoder = new TextDecoder('utf-8', { fatal: true })

/**
 * Decode raw bytes into a stored body; undefined for an empty body.
 *
 * @param sniffJson also read JSON-looking text declared as another type as JSON. Right for
 * requests (fetch labels a string body text/plain), where the stored form is only matched and
 * shown; wrong for responses, whose bytes replay must give back as they were.
 */
export function decodeBody(bytes: Uint8Array, contentType: string | undefined, sniffJson = false): Body | undefined {
  return decodeTakenBody({ bytes }, contentType, { sniffJson })
}

/** Bytes handed to `decodeTakenBody`, which takes them out of the box once it no longer needs them. */
export interface TakenBytes {
  bytes: Uint8Array | undefined
  /** The buffer under the bytes is the decoder's to free (detach) once it has converted them. */
  owned?: boolean
}

export interface DecodeOptions {
  /** See `decodeBody`. */
  sniffJson?: boolean
  /**
   * Store a JSON body larger than this many bytes as text, marked for the redactor as a JSON
   * document (see hand-over.ts). For response bodies: `LARGE_JSON_BYTES`.
   */
  jsonAsTextOver?: number
}

/**
 * `decodeBody` for bytes nobody else holds (a response body just read): once
 * they are text, the box lets go of them, so a large body is not held as bytes
 * and text (and then as text and parsed JSON) longer than it takes to convert.
 *
 * @note Memory: the bytes are checked for UTF-8 where they are, a binary body is never
 * decoded to text first, and base64 is made from the bytes without copying them. Only
 * small helpers touch the bytes, so no stack slot of this function keeps them alive.
 */
export function decodeTakenBody(
  box: TakenBytes,
  contentType: string | undefined,
  options: DecodeOptions = {},
): Body | undefined {
  const type = contentType ?? ''
  const sniffJson = options.sniffJson === true
  const size = box.bytes?.byteLength ?? 0
  const form = formOf(box, type, sniffJson)
  if (form === 'empty') {
    letGo(box)
    return undefined
  }
  if (form === 'base64') return { base64: base64Of(box) }
  const asText = options.jsonAsTextOver !== undefined && size > options.jsonAsTextOver
  // Checked on the bytes, before they are let go; only where the body may be stored as JSON.
  const faithful =
    asText || !(JSON_TYPE.test(type) || type === '' || sniffJson) || isFaithfulJson(box.bytes as Uint8Array)
  // Only JSON sniffing of a body that is not printable still needs the bytes (to store them as base64).
  const text = textOf(box, form === 'text')
  if (JSON_TYPE.test(type) || ((type === '' || sniffJson) && looksLikeJson(text))) {
    letGo(box)
    if (asText) return markJsonText({ text })
    try {
      const json = JSON.parse(text) as JsonValue
      return faithful ? { json } : markJsonText({ text })
    } catch {
      return { text }
    }
  }
  if (form === 'text') return { text }
  return { base64: base64Of(box) }
}

/**
 * How a body is stored, decided from its bytes without decoding them all: base64 when
 * not UTF-8; text for textual types and printable text; for a body sniffed for JSON that
 * is neither, text if it turns out to be JSON, else base64 (`maybe`).
 */
function formOf(box: TakenBytes, type: string, sniffJson: boolean): 'empty' | 'base64' | 'text' | 'maybe' {
  const bytes = box.bytes
  if (!bytes || bytes.byteLength === 0) return 'empty'
  // Not UTF-8: keep the exact bytes.
  if (!isUtf8(bytes)) return 'base64'
  if (JSON_TYPE.test(type) || TEXT_TYPE.test(type) || type === '') return 'text'
  if (isPrintable(head(bytes))) return 'text'
  return sniffJson ? 'maybe' : 'base64'
}

function textOf(box: TakenBytes, release: boolean): string {
  const text = decoder.decode(box.bytes)
  if (release) letGo(box)
  return text
}

/** Base64 of the bytes, read where they are (Buffer.from(uint8array) would copy them first). */
function base64Of(box: TakenBytes): string {
  const bytes = box.bytes as Uint8Array
  const base64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
  letGo(box)
  return base64
}

function letGo(box: TakenBytes): void {
  if (box.owned && box.bytes) releaseBytes(box.bytes)
  box.bytes = undefined
}

/**
 * Free the memory under bytes at once instead of when the garbage collector
 * gets to it (a large body would otherwise be held twice for a while, as bytes
 * and as what they were decoded to). Only for a buffer nothing else uses: it
 * is detached, and every view of it is left empty.
 */
export function releaseBytes(bytes: Uint8Array): void {
  const buffer = bytes.buffer as ArrayBuffer & { transfer?: (length: number) => ArrayBuffer }
  if (buffer instanceof ArrayBuffer && typeof buffer.transfer === 'function') buffer.transfer(0)
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

/**
 * The start of a UTF-8 body as text, long enough for `isPrintable` (4,096 code units take at
 * most 12,288 bytes; a sequence cut at the end is held back), without decoding the rest.
 */
function head(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes.subarray(0, PRINTABLE_HEAD * 4), { stream: true })
}

const PRINTABLE_HEAD = 4096

function isPrintable(text: string): boolean {
  // Control characters other than tab, CR and LF mean binary in disguise.
  const head = text.slice(0, PRINTABLE_HEAD)
  for (let i = 0; i < head.length; i++) {
    const code = head.charCodeAt(i)
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) return false
  }
  return true
}
