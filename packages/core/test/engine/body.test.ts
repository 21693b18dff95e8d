import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import type { Body, JsonValue } from '../../src/artifact/types.js'
import { decodeBody, decodeTakenBody, encodeBody, LARGE_JSON_BYTES, type TakenBytes } from '../../src/engine/body.js'
import { takeJsonText } from '../../src/redact/hand-over.js'

/**
 * decodeBody as it was before it learnt to decide from the bytes without decoding them all:
 * the new one must store every body the same way.
 */
function reference(bytes: Uint8Array, contentType: string | undefined, sniffJson = false): Body | undefined {
  const TEXT_TYPE =
    /^(text\/|application\/(?:[\w.+-]*\+)?(?:json|xml|x-www-form-urlencoded|javascript|x-ndjson|jsonl|graphql))/i
  const JSON_TYPE = /^application\/(?:[\w.+-]*\+)?json\b|^text\/json\b/i
  if (bytes.byteLength === 0) return undefined
  const type = contentType ?? ''
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return { base64: Buffer.from(bytes).toString('base64') }
  }
  const first = text.trimStart()[0]
  if (JSON_TYPE.test(type) || ((type === '' || sniffJson) && (first === '{' || first === '['))) {
    try {
      return { json: JSON.parse(text) as JsonValue }
    } catch {
      return { text }
    }
  }
  const printable = [...text.slice(0, 4096)].every((char) => {
    const code = char.charCodeAt(0)
    return code >= 0x20 || code === 0x09 || code === 0x0a || code === 0x0d
  })
  if (TEXT_TYPE.test(type) || type === '' || printable) return { text }
  return { base64: Buffer.from(bytes).toString('base64') }
}

const TYPES = [
  undefined,
  '',
  'application/json',
  'application/vnd.api+json; charset=utf-8',
  'text/plain',
  'text/event-stream',
  'application/octet-stream',
  'image/png',
  'application/xml',
]

/** Bytes of every sort: random, UTF-8 text (with control characters, multi-byte, a BOM), JSON. */
const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc.string({ unit: 'binary', maxLength: 64 }).map((text) => new TextEncoder().encode(text)),
  fc.jsonValue().map((value) => new TextEncoder().encode(JSON.stringify(value))),
  fc
    .tuple(fc.constantFrom('', '\ufeff', ' \n'), fc.string({ unit: 'binary', maxLength: 32 }))
    .map(([prefix, text]) => new TextEncoder().encode(prefix + text)),
)

describe('decodeBody', () => {
  test('stores every body as it did when it decoded the whole body first', () => {
    fc.assert(
      fc.property(bytes, fc.constantFrom(...TYPES), fc.boolean(), (input, type, sniff) => {
        expect(decodeBody(input, type, sniff)).toEqual(reference(input, type, sniff))
      }),
      { numRuns: 2000 },
    )
  })

  test('decides printable from the first 4,096 characters, multi-byte ones included, as before', () => {
    // A control character right at the edge of the examined head, after 3-byte characters.
    for (const at of [4095, 4096]) {
      for (const filler of ['a', '€', '😀']) {
        const text = `${filler.repeat(at / filler.length)}\u0001${'z'.repeat(20_000)}`
        const input = new TextEncoder().encode(text)
        for (const sniff of [false, true]) {
          expect(decodeBody(input, 'application/octet-stream', sniff)).toEqual(
            reference(input, 'application/octet-stream', sniff),
          )
        }
      }
    }
  })

  test('keeps binary bytes exactly, from a view into a larger buffer too', () => {
    const backing = new Uint8Array([9, 9, 0xff, 0x00, 0xfe, 0x80, 9])
    const view = backing.subarray(2, 6)
    expect(decodeBody(view, 'application/octet-stream')).toEqual({ base64: Buffer.from(view).toString('base64') })
    expect(encodeBody(decodeBody(view, 'image/png'))).toEqual(Buffer.from(view))
  })

  test('keeps the bytes of a sniffed body that is not JSON and not printable', () => {
    const input = new Uint8Array([0xef, 0xbb, 0xbf, 0x01, 0x02, 0x41])
    expect(decodeBody(input, 'application/octet-stream', true)).toEqual({ base64: '77u/AQJB' })
  })
})

describe('decodeTakenBody', () => {
  test('lets go of the bytes once they are text or base64', () => {
    const text: TakenBytes = { bytes: new TextEncoder().encode('{"a":1}') }
    expect(decodeTakenBody(text, 'application/json')).toEqual({ json: { a: 1 } })
    expect(text.bytes).toBeUndefined()
    const binary: TakenBytes = { bytes: new Uint8Array([0xff, 0x00]) }
    expect(decodeTakenBody(binary, 'application/octet-stream')).toEqual({ base64: '/wA=' })
    expect(binary.bytes).toBeUndefined()
  })

  test('frees a buffer it owns once the bytes are converted, and never one it does not', () => {
    for (const [input, type] of [
      ['{"a":1}', 'application/json'],
      ['plain', 'text/plain'],
    ] as const) {
      const owned: TakenBytes = { bytes: new TextEncoder().encode(input), owned: true }
      const buffer = owned.bytes?.buffer as ArrayBuffer
      decodeTakenBody(owned, type)
      expect(buffer.byteLength).toBe(0)
    }
    const binary = new Uint8Array([0xff, 0x00, 0x01])
    decodeTakenBody({ bytes: binary, owned: true }, 'application/octet-stream')
    expect(binary.byteLength).toBe(0)
    // decodeBody's caller keeps its bytes.
    const mine = new TextEncoder().encode('{"a":1}')
    decodeBody(mine, 'application/json')
    decodeTakenBody({ bytes: mine }, 'application/json')
    expect(mine.byteLength).toBe(7)
  })

  test('stores a JSON body over the limit as its text, marked as JSON for the redactor', () => {
    const document = ' {"data": [1, 2.50, "x"]} '
    const small = decodeTakenBody({ bytes: new TextEncoder().encode(document) }, 'application/json', {
      jsonAsTextOver: document.length,
    })
    expect(small).toEqual({ json: { data: [1, 2.5, 'x'] } })
    const large = decodeTakenBody({ bytes: new TextEncoder().encode(document) }, 'application/json', {
      jsonAsTextOver: document.length - 1,
    })
    // Byte for byte, whitespace and number formatting included.
    expect(large).toEqual({ text: document })
    expect(takeJsonText(large as object)).toBe(true)
    // Other text bodies are not marked.
    const plain = decodeTakenBody({ bytes: new TextEncoder().encode(document) }, 'text/plain', {
      jsonAsTextOver: 1,
    })
    expect(plain).toEqual({ text: document })
    expect(takeJsonText(plain as object)).toBe(false)
  })

  test('the response limit is 16 MiB', () => {
    expect(LARGE_JSON_BYTES).toBe(16 * 1024 * 1024)
  })
})
