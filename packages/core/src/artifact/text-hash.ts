/**
 * The seal of a `.rpk` (schema 1.1): its last member, `"textHash"`, is the
 * sha256 of every byte of the file before the line that holds it.
 *
 * The content hash says what was recorded, whatever the layout, so checking it
 * takes a canonical pass over the whole content (40 to 50 ms for 10,000 steps).
 * The seal says "these are the exact bytes ReplayKit's writer produced", which
 * native sha256 checks in about 10 ms. A sealed file is the writer's output, so
 * what the writer checked or guarantees by construction is not checked again at
 * every load: the content hash (the writer computed it from the same content),
 * the structure scan (an object has no duplicate members, `JSON.stringify`
 * writes only exact numbers, the writer refuses nesting past MAX_JSON_DEPTH),
 * the schema and replay's rules (the writer seals only a file that passes them,
 * write.ts). A file edited by hand or by a merge, truncated or re-encoded no
 * longer matches its seal and gets every check, the content hash included; so
 * does a file with no seal (schema 1.0).
 *
 * @note Like the content hash, a seal guards against accidents, not against an
 * attacker: anyone can compute a sha256. A file from an untrusted source is
 * what signatures are for.
 */
import { createHash } from '../lazy-deps.js'
import { HASH_PREFIX } from './hash.js'

/** What comes before the hex digits in the last line, and after them. */
const LINE_START = `  "textHash": "${HASH_PREFIX}`
const LINE_END = '"\n}\n'
const LINE_LENGTH = LINE_START.length + 64 + LINE_END.length
/** How the text before the seal ends: the member before it, then `,` and a line break. */
export const BEFORE_SEAL = ',\n'
/** How an unsealed canonical text ends: the last member's line break and the closing brace. */
export const UNSEALED_END = '\n}\n'
const SEAL_LINE = /^ {2}"textHash": "sha256:[0-9a-f]{64}"\n\}\n$/

/** The seal's line and the file's end, for the sha256 (hex) of the bytes before it. */
export function sealLine(hex: string): string {
  return `${LINE_START}${hex}${LINE_END}`
}

/** The sealed text of a canonical file text that has no seal yet (it ends with `\n}\n`). */
export function sealText(text: string): string {
  if (!text.endsWith(UNSEALED_END)) throw new Error('sealText: not the canonical text of a file')
  const head = `${text.slice(0, text.length - UNSEALED_END.length)}${BEFORE_SEAL}`
  const hex = createHash('sha256').update(head).digest('hex')
  return `${head}${LINE_START}${hex}${LINE_END}`
}

/** Bytes at the end of a sealed file that say so: the `,` and line break before the seal's line, and the line. */
export const SEAL_TAIL_BYTES: number = BEFORE_SEAL.length + LINE_LENGTH

/**
 * The hex digits of the seal when these last SEAL_TAIL_BYTES bytes of a file are a seal's line
 * after a member's `,`; undefined for any other tail.
 */
export function sealOfTail(tail: Uint8Array): string | undefined {
  if (tail.length !== SEAL_TAIL_BYTES || tail[0] !== 44 || tail[1] !== 10) return undefined
  const line = Buffer.from(tail.buffer, tail.byteOffset + BEFORE_SEAL.length, LINE_LENGTH).toString('latin1')
  if (!SEAL_LINE.test(line)) return undefined
  return line.slice(LINE_START.length, LINE_START.length + 64)
}

/**
 * True when the bytes end with a seal and it matches the bytes before it:
 * they are exactly what a ReplayKit writer produced. False for anything else
 * (no seal, a seal that does not match, any byte after it).
 */
export function isSealed(bytes: Uint8Array): boolean {
  const hex = bytes.length >= SEAL_TAIL_BYTES ? sealOfTail(bytes.subarray(bytes.length - SEAL_TAIL_BYTES)) : undefined
  if (hex === undefined) return false
  return (
    createHash('sha256')
      .update(bytes.subarray(0, bytes.length - LINE_LENGTH))
      .digest('hex') === hex
  )
}
