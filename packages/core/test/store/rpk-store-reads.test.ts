/**
 * A whole-file write of the `.rpk` store reads the file once: the store loads it under its lock
 * to build the update, and `writeRpkFile` compares against that instead of loading it again (a
 * 10,000-step file is about a hundred milliseconds a load).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { readRpkFile } from '../../src/index.js'
import { RpkStore } from '../../src/store/rpk-store.js'
import { sampleRun } from '../fixtures/sample-runs.js'

const reads = vi.hoisted(() => ({ files: [] as string[] }))

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>()
  const readFileSync = ((...args: Parameters<typeof fs.readFileSync>) => {
    reads.files.push(String(args[0]))
    return fs.readFileSync(...args)
  }) as typeof fs.readFileSync
  // A sealed file is read from its descriptor, through one block (artifact/sealed-read.ts): an open is a read.
  const openSync = ((...args: Parameters<typeof fs.openSync>) => {
    reads.files.push(String(args[0]))
    return fs.openSync(...args)
  }) as typeof fs.openSync
  return { ...fs, default: { ...fs, readFileSync, openSync }, readFileSync, openSync }
})

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-store-reads-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

test('put on an existing file reads it once, and the write still compares against it', () => {
  const file = join(dir, 'a.rpk')
  const store = new RpkStore(file)
  store.put('a 1', sampleRun('a'))
  reads.files.length = 0
  expect(store.put('b 1', sampleRun('b')).written).toBe(true)
  expect(reads.files.filter((read) => read === file)).toHaveLength(1)
  // The same content again: compared with what was loaded, nothing is written.
  reads.files.length = 0
  expect(store.put('b 1', sampleRun('b')).written).toBe(false)
  expect(reads.files.filter((read) => read === file)).toHaveLength(1)
  expect(Object.keys(readRpkFile(file)?.runs ?? {})).toEqual(['a 1', 'b 1'])
})
