/**
 * `meta.capture` (schema 1.1): the mode a long-lived capture recorded in and
 * where its policy came from. It travels in the journal's header, is in the
 * `.rpk` a killed writer leaves (read) and in the compacted one (save), is kept
 * by a later whole-run write, and is metadata: the content hash ignores it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { readRpkFile } from '../../src/artifact/read.js'
import type { RpkFile } from '../../src/artifact/types.js'
import { buildRpk } from '../../src/artifact/write.js'
import { journalPathFor } from '../../src/store/journal-format.js'
import { JournalStore } from '../../src/store/journal-store.js'
import { RpkStore } from '../../src/store/rpk-store.js'
import { sampleRun } from '../fixtures/sample-runs.js'

let dir: string
let rpk: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-capture-'))
  rpk = join(dir, 'session.rpk')
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const capture = { mode: 'live', policySource: 'cli flags' }

test('the journal carries the capture to the .rpk: read before compaction, and after', () => {
  const store = new JournalStore(rpk, { capture, onWarning: () => {} })
  store.append('listen a 1', sampleRun().steps)
  expect(JSON.parse(readFileSync(journalPathFor(rpk), 'utf8').split('\n')[0] as string)).toMatchObject({ capture })
  expect(store.read()?.meta.capture).toEqual(capture)
  store.save()
  expect(readRpkFile(rpk)?.meta.capture).toEqual(capture)

  // A later session in another mode names itself; a plain write keeps what is there.
  const replay = new JournalStore(rpk, { capture: { mode: 'replay-hybrid', policySource: 'x' }, onWarning: () => {} })
  replay.append('listen b 1', sampleRun().steps)
  replay.save()
  expect(readRpkFile(rpk)?.meta.capture).toEqual({ mode: 'replay-hybrid', policySource: 'x' })
  new RpkStore(rpk).put('other 1', sampleRun('other'))
  expect(readRpkFile(rpk)?.meta.capture).toEqual({ mode: 'replay-hybrid', policySource: 'x' })
})

test('the capture is metadata: outside the content hash, and validated by the schema', () => {
  const runs = { 'a 1': sampleRun('a') }
  const plain = buildRpk({ runs })
  const captured = buildRpk({ runs, capture })
  expect(captured.meta.capture).toEqual(capture)
  expect(captured.contentHash).toBe(plain.contentHash)
  const bad = { ...captured, meta: { ...captured.meta, capture: { mode: 'live' } } } as unknown as RpkFile
  const file = join(dir, 'bad.rpk')
  writeFileSync(file, JSON.stringify(bad))
  expect(() => readRpkFile(file)).toThrow(/capture|policySource/)
})

test('a store holding the lock replaces the file under it, and appends to a new journal after', () => {
  const store = new JournalStore(rpk, { capture, lock: { timeoutMs: 100 }, onWarning: () => {} })
  store.hold()
  try {
    store.append('listen a 1', sampleRun().steps)
    // Under the held lock (a lock per call would wait for this very store, then fail with RPK_LOCKED).
    store.replace(buildRpk({ runs: { 'other 1': sampleRun('other') } }))
    store.append('listen b 1', sampleRun().steps)
    expect(Object.keys(store.read()?.runs ?? {}).sort()).toEqual(['listen a 1', 'listen b 1', 'other 1'])
    store.save()
  } finally {
    store.release()
  }
  expect(Object.keys(readRpkFile(rpk)?.runs ?? {}).sort()).toEqual(['listen a 1', 'listen b 1', 'other 1'])
})
