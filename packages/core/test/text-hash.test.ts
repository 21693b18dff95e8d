/**
 * The seal of a `.rpk` (schema 1.1, artifact/text-hash.ts): the writer ends the
 * file with `textHash`, the sha256 of the bytes before its line; a load of
 * sealed bytes skips what the writer guarantees, and any other file (edited,
 * unsealed, schema 1.0) gets every check as before.
 */
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { PIECE_BYTES, parseSealed } from '../src/artifact/sealed-parse.js'
import { isSealed, sealText } from '../src/artifact/text-hash.js'
import {
  buildRpk,
  isReplayKitError,
  parseRpk,
  type RpkFile,
  readRpkFile,
  SCHEMA_VERSION,
  serializeRpk,
  writeRpkFile,
} from '../src/index.js'
import { sampleRun } from './fixtures/sample-runs.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-seal-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const SEAL_LINE = /\n {2}"textHash": "sha256:([0-9a-f]{64})"\n\}\n$/

function codeOf(load: () => unknown): string {
  try {
    load()
  } catch (error) {
    if (isReplayKitError(error)) return error.code
    throw error
  }
  return 'loaded'
}

describe('the writer seals what it writes', () => {
  test('the last member is textHash: the sha256 of every byte before its line', () => {
    const file = join(dir, 'a.rpk')
    writeRpkFile(file, { runs: { 'agent answers 1': sampleRun() }, source: 'agent.test.ts' })
    const bytes = readFileSync(file)
    const text = bytes.toString('utf8')
    const seal = SEAL_LINE.exec(text)
    expect(seal).not.toBeNull()
    const before = bytes.subarray(0, Buffer.byteLength(text.slice(0, (seal?.index ?? 0) + 1)))
    expect(createHash('sha256').update(before).digest('hex')).toBe(seal?.[1])
    expect(JSON.parse(text).schemaVersion).toBe(SCHEMA_VERSION)
    expect(isSealed(bytes)).toBe(true)
  })

  test('serializeRpk gives the same sealed bytes, and the loaded file has no textHash member', () => {
    const built = buildRpk({ runs: { 'a 1': sampleRun() } }, new Date(0))
    const text = serializeRpk(built)
    expect(text).toMatch(SEAL_LINE)
    const loaded = parseRpk(text, 'a.rpk')
    expect(loaded).toEqual(built)
    expect(Object.keys(loaded)).not.toContain('textHash')
    // Serialising a loaded file again seals it anew, with the same bytes.
    expect(serializeRpk(loaded)).toBe(text)
  })

  test('a file whose contentHash is not its content’s is not sealed: its hash is checked at load', () => {
    const built = buildRpk({ runs: { 'a 1': sampleRun() } }, new Date(0))
    const stale: RpkFile = { ...built, runs: { 'a 1': { ...sampleRun(), name: 'edited' } } }
    const text = serializeRpk(stale)
    expect(text).not.toMatch(/"textHash"/)
    expect(codeOf(() => parseRpk(text, 'a.rpk'))).toBe('RPK_HASH_MISMATCH')
  })
})

describe('the writer seals only what a load accepts: a sealed load does not check the schema again', () => {
  test('content that breaks the schema is written unsealed, and refused at load with its path', () => {
    const file = join(dir, 'bad.rpk')
    writeRpkFile(file, { runs: { 'a 1': { ...sampleRun(), index: 0 } } })
    expect(isSealed(readFileSync(file))).toBe(false)
    expect(codeOf(() => readRpkFile(file))).toBe('RPK_SCHEMA')
    expect(serializeRpk(buildRpk({ runs: { 'a 1': { ...sampleRun(), index: 0 } } }))).not.toMatch(/"textHash"/)
  })

  test('content that breaks a replay rule (a blob that is not there) is written unsealed, and refused', () => {
    const run = sampleRun()
    const response = run.steps.find((step) => step.kind === 'model.response') as { response: { body?: unknown } }
    response.response.body = { blob: `sha256:${'c'.repeat(64)}` }
    const file = join(dir, 'bad.rpk')
    writeRpkFile(file, { runs: { 'a 1': run } })
    expect(isSealed(readFileSync(file))).toBe(false)
    expect(codeOf(() => readRpkFile(file))).toBe('RPK_SCHEMA')
  })
})

describe('a seal is trusted only from a writer of this reader’s minor', () => {
  test('a sealed file of another minor gets every check: a later minor may check more than its writer did', () => {
    // Content the schema refuses, sealed as if by another minor's writer.
    const unsealed = serializeRpk(buildRpk({ runs: { 'a 1': { ...sampleRun(), index: 0 } } }, new Date(0)))
    expect(unsealed).not.toMatch(/"textHash"/)
    const other = sealText(unsealed.replace(`"schemaVersion": "${SCHEMA_VERSION}"`, '"schemaVersion": "1.0.0"'))
    expect(isSealed(Buffer.from(other))).toBe(true)
    expect(codeOf(() => parseRpk(other, 'a.rpk'))).toBe('RPK_SCHEMA')
  })
})

describe('a sealed file is parsed run by run, to the same value', () => {
  test('many runs, keys that need escaping, non-ASCII text, blobs', () => {
    const runs: Record<string, ReturnType<typeof sampleRun>> = {}
    for (const name of ['plain', 'quote " and \\ back', 'ünïcødé ✓', '{ "runs": { }', 'line\nbreak']) {
      runs[`${name} 1`] = sampleRun(name)
    }
    const content = { runs, blobs: { [`sha256:${'b'.repeat(64)}`]: { text: '\n  "runs": {\n    "x": {' } } }
    const file = join(dir, 'many.rpk')
    writeRpkFile(file, content)
    const bytes = readFileSync(file)
    expect(isSealed(bytes)).toBe(true)
    const loaded = readRpkFile(file)
    const parsed = JSON.parse(bytes.toString('utf8'))
    // The split itself, not the whole-text fallback, gives the same value.
    expect(parseSealed(bytes)).toEqual(parsed)
    const { textHash: _seal, ...whole } = parsed
    expect(loaded).toEqual(whole)
    expect(Object.keys(loaded?.runs ?? {})).toEqual(Object.keys(whole.runs))
  })
})

describe('a sealed file is parsed in pieces: no text of a large run is decoded or parsed whole', () => {
  /** A run of `exchanges` copies of the sample's two steps (about 2 kB each), numbered in order. */
  function longRun(name: string, exchanges: number): ReturnType<typeof sampleRun> {
    const run = sampleRun(name)
    const [request, response] = run.steps
    run.steps = []
    for (let i = 0; i < exchanges; i++) {
      run.steps.push({ ...request, seq: 2 * i, correlationId: `x${i}` } as (typeof run.steps)[number])
      run.steps.push({ ...response, seq: 2 * i + 1, correlationId: `x${i}` } as (typeof run.steps)[number])
    }
    return run
  }

  test('large and small runs, no steps, keys that need escaping: the same value, in pieces of at most PIECE_BYTES', () => {
    const runs = Object.fromEntries([
      ['small 1', sampleRun('small')],
      ['large ünïcødé 1', longRun('large ünïcødé', 400)], // about 7 pieces
      ['no steps 1', { ...sampleRun('no steps'), steps: [] }],
      ['quote " and \\ back 1', longRun('quote " and \\ back', 3)],
      ['last and large 1', longRun('last and large', 200)],
    ])
    const file = join(dir, 'pieces.rpk')
    writeRpkFile(file, { runs })
    const bytes = readFileSync(file)
    expect(isSealed(bytes)).toBe(true)
    expect(bytes.length).toBeGreaterThan(6 * PIECE_BYTES)
    const parse = vi.spyOn(JSON, 'parse')
    let value: unknown
    let lengths: number[]
    try {
      value = parseSealed(bytes)
      lengths = parse.mock.calls.map(([text]) => (text as string).length)
    } finally {
      parse.mockRestore()
    }
    expect(lengths.length).toBeGreaterThan(6)
    const longest = Math.max(...lengths)
    // One piece ends at the first step end after PIECE_BYTES: at most a step (about 1 kB) more.
    expect(longest).toBeLessThan(PIECE_BYTES + 4096)
    const whole = JSON.parse(bytes.toString('utf8'))
    expect(value).toEqual(whole)
    expect(Object.keys((value as RpkFile).runs)).toEqual(Object.keys(whole.runs))
    expect(Object.keys(whole.runs)).toHaveLength(5)
    expect(readRpkFile(file)?.runs['large ünïcødé 1']?.steps.map((step) => step.seq)).toEqual(
      Array.from({ length: 800 }, (_, i) => i),
    )
  })

  test('bytes out of the layout give the same value or none (the caller parses them whole), never another', () => {
    const file = join(dir, 'moved.rpk')
    writeRpkFile(file, { runs: { 'large 1': longRun('large', 150), 'next 1': longRun('next', 30) } })
    const text = readFileSync(file, 'utf8')
    const moves = [
      text.replace('\n        },\n        {', '\n         },\n        {'), // a step's closing line
      text.replace('\n      ]', '\n       ]'), // the line closing a run's steps
      text.replace('\n    },\n    "next 1"', '\n     },\n    "next 1"'), // the line closing a run
    ]
    for (const moved of moves) {
      expect(moved).not.toBe(text)
      let value: unknown
      try {
        value = parseSealed(Buffer.from(moved))
      } catch {
        value = undefined
      }
      if (value !== undefined) expect(value).toEqual(JSON.parse(moved))
    }
  })
})

describe('any byte changed: the seal does not match and every check runs', () => {
  const sealed = (): string => serializeRpk(buildRpk({ runs: { 'a 1': sampleRun() } }, new Date(0)))

  test('a hand edit of the content is caught by the content hash, at load', () => {
    const edited = sealed().replace('It is 12°C in Oslo.', 'It is 13°C in Oslo.')
    expect(isSealed(Buffer.from(edited))).toBe(false)
    expect(codeOf(() => parseRpk(edited, 'a.rpk'))).toBe('RPK_HASH_MISMATCH')
  })

  test('a duplicate member is caught by the structure scan, though the seal line is still there', () => {
    const edited = sealed().replace('\n      "index": 1,', '\n      "index": 2,\n      "index": 1,')
    expect(edited).not.toBe(sealed())
    expect(codeOf(() => parseRpk(edited, 'a.rpk'))).toBe('RPK_DUPLICATE_KEY')
  })

  test('the seal itself edited, or bytes after it: not sealed, and the file still loads on its content hash', () => {
    const text = sealed()
    const wrongSeal = text.replace(SEAL_LINE, (line) =>
      line.replace(/[0-9a-f](?="\n\}\n$)/, (d) => (d === '0' ? '1' : '0')),
    )
    expect(isSealed(Buffer.from(wrongSeal))).toBe(false)
    expect(parseRpk(wrongSeal, 'a.rpk').runs).toEqual(parseRpk(text, 'a.rpk').runs)
    const trailing = `${text}\n`
    expect(isSealed(Buffer.from(trailing))).toBe(false)
    expect(parseRpk(trailing, 'a.rpk').runs).toEqual(parseRpk(text, 'a.rpk').runs)
  })
})

describe('schema 1.0 files (no seal) still load', () => {
  /** The file as the 1.0 writer wrote it: the same text without the seal line, version 1.0.0. */
  function version10(text: string): string {
    return text
      .replace(SEAL_LINE, '\n}\n')
      .replace(/,\n\}\n$/, '\n}\n')
      .replace(`"${SCHEMA_VERSION}"`, '"1.0.0"')
  }

  test('read as they are, their content hash checked', () => {
    const file = join(dir, 'old.rpk')
    const text = version10(serializeRpk(buildRpk({ runs: { 'a 1': sampleRun() } }, new Date(0))))
    expect(text).not.toMatch(/textHash/)
    writeFileSync(file, text)
    expect(readRpkFile(file)?.schemaVersion).toBe('1.0.0')
    writeFileSync(file, text.replace('It is 12°C in Oslo.', 'It is 13°C in Oslo.'))
    expect(codeOf(() => readRpkFile(file))).toBe('RPK_HASH_MISMATCH')
  })

  test('the next write of the same content upgrades the file to the current version, sealed', () => {
    const file = join(dir, 'old.rpk')
    const content = { runs: { 'a 1': sampleRun() } }
    writeFileSync(file, version10(serializeRpk(buildRpk(content, new Date(0)))))
    expect(writeRpkFile(file, content).written).toBe(true)
    const bytes = readFileSync(file)
    expect(isSealed(bytes)).toBe(true)
    expect(readRpkFile(file)?.schemaVersion).toBe(SCHEMA_VERSION)
  })
})
