/**
 * An update run (`--update-replays`, update state `all`) over files that cannot
 * be loaded: nothing is modified (bytes, mtime, links) unless the user passes
 * `--replace-invalid`, and even then a future-version file, a symlink or a
 * folder is left alone.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { readRpkFile } from '../../src/artifact/read.js'
import { planCapture } from '../../src/store/capture-plan.js'
import { ReplayFile } from '../../src/store/replay-file.js'
import { rpkPathFor } from '../../src/store/rpk-path.js'
import type { UpdateState } from '../../src/store/update-state.js'
import { BAD_RPK_FILES, snapshotTree, writeValid } from '../fixtures/bad-rpk-files.js'
import { sampleRun } from '../fixtures/sample-runs.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-bad-update-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function setUp(make: (rpk: string) => void): { testFile: string; rpk: string } {
  const testFile = join(dir, 'agent.test.ts')
  const rpk = rpkPathFor(testFile)
  mkdirSync(join(dir, '__snapshots__'))
  make(rpk)
  return { testFile, rpk }
}

/**
 * What a `-t old` run does: record `old 1` (re-record in an update run, a
 * `mode: 'record'` capture in a local run), skip the test `kept`.
 */
function partialUpdate(testFile: string, update: UpdateState, replaceInvalid: boolean) {
  const file = new ReplayFile(testFile, { update, replaceInvalid })
  let planError: unknown
  try {
    planCapture(file, { name: 'old', mode: update === 'all' ? 'strict' : 'record' })
  } catch (error) {
    planError = error
  }
  file.store('old 1', { ...sampleRun('old', 1), outcome: { type: 'return', value: 'new answer' } })
  file.checkTest('kept')
  return { planError, saved: file.save() }
}

describe.each(BAD_RPK_FILES)('an update run over a file: $name', ({ make, replaceable }) => {
  test('without --replace-invalid: refused before recording and at save, nothing modified', () => {
    const { testFile, rpk } = setUp(make)
    const before = snapshotTree(dir)
    for (const update of ['all', 'new'] as const) {
      const { planError, saved } = partialUpdate(testFile, update, false)
      expect(planError).toMatchObject({ code: 'RPK_WRITE_REFUSED', file: rpk })
      expect(saved).toMatchObject({ written: false, deleted: false, unsaved: ['old 1'], added: [], updated: [] })
      expect(saved.error).toMatchObject({ code: 'RPK_WRITE_REFUSED', file: rpk })
      const message = String(saved.error)
      expect(message).toContain(rpk)
      expect(message).toMatch(/Nothing was written/)
      expect(message).toMatch(/Fix: /)
      if (replaceable) expect(message).toContain('--update-replays --replace-invalid')
      expect(snapshotTree(dir)).toEqual(before)
    }
  })

  test(`with --replace-invalid: ${replaceable ? 'replaced, and said so' : 'still left alone'}`, () => {
    const { testFile, rpk } = setUp(make)
    const before = snapshotTree(dir)
    const { planError, saved } = partialUpdate(testFile, 'all', true)
    if (!replaceable) {
      expect(planError).toMatchObject({ code: 'RPK_WRITE_REFUSED' })
      expect(saved.error).toMatchObject({ code: 'RPK_WRITE_REFUSED' })
      expect(snapshotTree(dir)).toEqual(before)
      return
    }
    expect(planError).toBeUndefined()
    expect(saved).toMatchObject({ written: true, added: ['old 1'], unsaved: [] })
    expect(saved.replacedUnreadable).toMatch(/Failed to load the recording/)
    // The unreadable file's runs are gone: that is what the flag asks for.
    expect(Object.keys(readRpkFile(rpk)?.runs ?? {})).toEqual(['old 1'])
  })
})

test('the hand-edit refusal names the cause and `replaykit rehash`', () => {
  const { testFile, rpk } = setUp(BAD_RPK_FILES[0]!.make)
  const { saved } = partialUpdate(testFile, 'all', false)
  expect(String(saved.error)).toContain('content hash does not match')
  expect(String(saved.error)).toContain(`replaykit rehash ${rpk}`)
  expect((saved.error as Error).cause).toMatchObject({ code: 'RPK_HASH_MISMATCH' })
})

test('a -t partial update over a valid file keeps every other run', () => {
  const { testFile, rpk } = setUp(writeValid)
  const { saved } = partialUpdate(testFile, 'all', false)
  expect(saved).toMatchObject({ written: true, updated: ['old 1'], removed: [] })
  const runs = readRpkFile(rpk)?.runs ?? {}
  expect(Object.keys(runs).sort()).toEqual(['kept 1', 'old 1'])
  expect(runs['old 1']?.outcome).toEqual({ type: 'return', value: 'new answer' })
})
