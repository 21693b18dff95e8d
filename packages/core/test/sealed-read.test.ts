/**
 * A sealed `.rpk` is read from its file through one block of memory
 * (artifact/sealed-read.ts, byte-window.ts), hashed for its seal as it is
 * read: never read whole. Anything that is not a matching seal of this
 * reader's minor is read whole and checked as before.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { BLOCK_BYTES, ByteWindow } from '../src/artifact/byte-window.js'
import { isSealed } from '../src/artifact/text-hash.js'
import { isReplayKitError, parseRpk, type Run, readRpkFile, writeRpkFile } from '../src/index.js'
import { sampleRun } from './fixtures/sample-runs.js'

const reads = vi.hoisted(() => ({ whole: [] as string[] }))

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>()
  const readFileSync = ((...args: Parameters<typeof fs.readFileSync>) => {
    reads.whole.push(String(args[0]))
    return fs.readFileSync(...args)
  }) as typeof fs.readFileSync
  return { ...fs, default: { ...fs, readFileSync }, readFileSync }
})

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-sealed-read-'))
  reads.whole.length = 0
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function codeOf(load: () => unknown): string {
  try {
    load()
  } catch (error) {
    if (isReplayKitError(error)) return error.code
    throw error
  }
  return 'loaded'
}

/** A run of `exchanges` copies of the sample's two steps, the answer padded to `answerBytes`. */
function longRun(name: string, exchanges: number, answerBytes = 0): Run {
  const run = sampleRun(name)
  const [request, response] = run.steps
  run.steps = []
  for (let i = 0; i < exchanges; i++) {
    run.steps.push({ ...request, seq: 2 * i, correlationId: `x${i}` } as Run['steps'][number])
    const text = `${'ø'.repeat(answerBytes / 2)} ${i}`
    run.steps.push({ ...response, seq: 2 * i + 1, correlationId: `x${i}`, text } as Run['steps'][number])
  }
  return run
}

describe('a sealed file is read through one block, never whole', () => {
  test('several blocks of steps: the same value as a whole read, and no whole-file read', () => {
    const file = join(dir, 'large.rpk')
    writeRpkFile(file, { runs: { 'small 1': sampleRun('small'), 'large ünïcødé 1': longRun('large', 1500) } })
    const bytes = readFileSync(file)
    expect(bytes.length).toBeGreaterThan(2 * BLOCK_BYTES)
    reads.whole.length = 0
    const loaded = readRpkFile(file)
    expect(reads.whole).toEqual([])
    expect(loaded).toEqual(parseRpk(bytes, file))
    expect(loaded?.runs['large ünïcødé 1']?.steps).toHaveLength(3000)
  })

  test('a step larger than the block (a large answer): the block grows for it, same value', () => {
    const file = join(dir, 'wide.rpk')
    writeRpkFile(file, { runs: { 'wide 1': longRun('wide', 3, 3 * BLOCK_BYTES) } })
    const bytes = readFileSync(file)
    expect(isSealed(bytes)).toBe(true)
    reads.whole.length = 0
    const loaded = readRpkFile(file)
    expect(reads.whole).toEqual([])
    expect(loaded).toEqual(parseRpk(bytes, file))
  })
})

describe('files sealed before the reader changed', () => {
  test('a 1.1 file written by the previous build loads through the block, to its content', () => {
    // Written by the build of 681a9d7 (before this reader), committed as it came out.
    const file = join(import.meta.dirname, 'fixtures', 'sealed-1.1.0.rpk')
    const bytes = readFileSync(file)
    expect(isSealed(bytes)).toBe(true)
    reads.whole.length = 0
    const loaded = readRpkFile(file)
    expect(reads.whole).toEqual([])
    expect(loaded).toEqual(parseRpk(bytes, file))
    expect(loaded?.schemaVersion).toBe('1.1.0')
    expect(Object.keys(loaded?.runs ?? {})).toEqual(['agent answers 1', 'no steps 1', 'ünïcødé "quoted" 1'])
    expect(loaded?.runs['agent answers 1']).toEqual(sampleRun())
  })
})

describe('anything else is read whole and checked as before', () => {
  test('an edit inside a sealed file (seal line intact) is refused with its hash mismatch', () => {
    const file = join(dir, 'edited.rpk')
    writeRpkFile(file, { runs: { 'large 1': longRun('large', 1500) } })
    const text = readFileSync(file, 'utf8')
    // Same length, far before the seal: only the seal's hash, computed as the file is read, can tell.
    const edited = text.replace('"seq": 1500,', '"seq": 1501,')
    expect(edited).not.toBe(text)
    writeFileSync(file, edited)
    reads.whole.length = 0
    expect(codeOf(() => readRpkFile(file))).toBe('RPK_HASH_MISMATCH')
    expect(reads.whole).toEqual([file])
  })

  test('a truncated sealed file is refused as truncated', () => {
    const file = join(dir, 'cut.rpk')
    writeRpkFile(file, { runs: { 'large 1': longRun('large', 1500) } })
    truncateSync(file, readFileSync(file).length - 200)
    expect(codeOf(() => readRpkFile(file))).toBe('RPK_TRUNCATED')
  })

  test('a missing file is undefined; a folder is unreadable', () => {
    expect(readRpkFile(join(dir, 'missing.rpk'))).toBeUndefined()
    expect(codeOf(() => readRpkFile(dir))).toBe('RPK_UNREADABLE')
  })
})

describe('ByteWindow', () => {
  test('finds a needle across the edge of what it has read, and lets go of what it was told to', () => {
    const bytes = Buffer.from(`${'a'.repeat(BLOCK_BYTES - 3)}needle${'b'.repeat(BLOCK_BYTES)}needle`)
    const file = join(dir, 'bytes.bin')
    writeFileSync(file, bytes)
    const fd = openSync(file, 'r')
    try {
      const seen: number[] = []
      const window = ByteWindow.ofFile(fd, bytes.length, (chunk) => seen.push(chunk.length))
      const needle = Buffer.from('needle')
      const first = window.indexOf(needle, 0)
      expect(first).toBe(BLOCK_BYTES - 3)
      window.keepFrom(first + 1)
      const second = window.indexOf(needle, first + 1)
      expect(second).toBe(bytes.indexOf(needle, first + 1))
      expect(window.text(second)).toBe('needle')
      expect(() => window.text(0, 1)).toThrow(/let go/)
      expect(window.readToEnd()).toBe(true)
      expect(seen.reduce((sum, n) => sum + n, 0)).toBe(bytes.length)
    } finally {
      closeSync(fd)
    }
  })
})
