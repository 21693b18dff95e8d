import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { readRpkFile } from '../../src/artifact/read.js'
import { buildRpk, serializeRpk, writeRpkFile } from '../../src/artifact/write.js'
import { planCapture } from '../../src/store/capture-plan.js'
import { ReplayFile } from '../../src/store/replay-file.js'
import { rpkPathFor } from '../../src/store/rpk-path.js'
import { sampleRun } from '../fixtures/sample-runs.js'

let dir: string
let testFile: string
let rpk: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-store-'))
  testFile = join(dir, 'agent.test.ts')
  rpk = rpkPathFor(testFile)
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function seed(keys: string[]): void {
  const runs = Object.fromEntries(keys.map((key) => [key, sampleRun(key.replace(/ \d+$/, ''), 1)]))
  writeRpkFile(rpk, { runs, source: 'agent.test.ts' })
}

describe('ReplayFile', () => {
  test('a run already on disk that a newer secret pattern matches does not stop other runs from being saved', () => {
    // Written as an older ReplayKit would have: its scan did not know URL credentials in text.
    const old = {
      ...sampleRun('old', 1),
      outcome: { type: 'return' as const, value: 'see https://bob:hunter2@db.example/x' },
    }
    mkdirSync(join(dir, '__snapshots__'), { recursive: true })
    writeFileSync(rpk, serializeRpk(buildRpk({ runs: { 'old 1': old }, source: 'agent.test.ts' })))
    const file = new ReplayFile(testFile, { update: 'new' })
    file.store('new 1', sampleRun('new', 1))
    const saved = file.save()
    expect(saved.error).toBeUndefined()
    expect(saved).toMatchObject({ written: true, added: ['new 1'] })
    expect(Object.keys(readRpkFile(rpk)?.runs ?? {}).sort()).toEqual(['new 1', 'old 1'])
  })

  test('counts captures per test and starts again on a new attempt', () => {
    const file = new ReplayFile(testFile, { update: 'new' })
    expect(file.nextIndex('a', 1)).toBe(1)
    expect(file.nextIndex('a', 1)).toBe(2)
    expect(file.nextIndex('b', 1)).toBe(1)
    expect(file.nextIndex('a', 2)).toBe(1)
  })

  test('tests sharing a name number on instead of sharing keys; a retry counts from its own start', () => {
    const file = new ReplayFile(testFile, { update: 'new' })
    const first = {}
    const second = {}
    expect([file.nextIndex('same', 'a1', first), file.nextIndex('same', 'a1', first)]).toEqual([1, 2])
    expect(file.nextIndex('same', 'b1', second)).toBe(3)
    expect(file.duplicateNames()).toEqual(['same'])
    // A retry of the second test counts again from 3, not from 1.
    expect(file.nextIndex('same', 'b2', second)).toBe(3)
    expect(file.nextIndex('other', 'c1', first)).toBe(1)
    expect(file.duplicateNames()).toEqual(['same'])
  })

  test('concurrent tests sharing a name never share a key', () => {
    const file = new ReplayFile(testFile, { update: 'new' })
    const [a, b] = [{}, {}]
    // Interleaved captures, as in test.concurrent.
    const order = [file.nextIndex('same', 1, a), file.nextIndex('same', 1, b), file.nextIndex('same', 1, a)]
    expect(order).toEqual([1, 2, 3])
  })

  test('a re-recording with the same steps and outcome leaves the file byte-identical', () => {
    seed(['a 1'])
    const before = readFileSync(rpk)
    const file = new ReplayFile(testFile, { update: 'all' })
    const again = sampleRun('a', 1)
    // New timings and new values of the same draws: volatile, not a change.
    again.timing = { totalMs: 99, networkMs: 90, ownMs: 9 }
    again.drawn = [{ source: 'Date.now', value: 1_800_000_000_000 }]
    file.store('a 1', again)
    const saved = file.save()
    expect(saved).toMatchObject({ written: false, updated: [], unchanged: ['a 1'] })
    expect(readFileSync(rpk).equals(before)).toBe(true)
  })

  test('a run stored under its pre-escaping key still replays, and a re-recording moves it to the new key', () => {
    seed(['x > y > z 1'])
    const replay = planCapture(new ReplayFile(testFile, { update: 'new' }), {
      name: 'x > y \\> z',
      legacyName: 'x > y > z',
      mode: 'strict',
    })
    expect(replay).toMatchObject({ key: 'x > y \\> z 1', legacyKey: 'x > y > z 1', mode: 'strict', missing: false })
    expect(replay.recording?.name).toBe('x > y > z')
  })

  test('a retry drops what the failed attempt recorded', () => {
    const file = new ReplayFile(testFile, { update: 'new' })
    file.nextIndex('a', 1)
    file.store('a 1', sampleRun('a', 1))
    file.nextIndex('a', 1)
    file.store('a 2', sampleRun('a', 2))
    file.nextIndex('a', 2)
    file.store('a 1', sampleRun('a', 1))
    const saved = file.save()
    expect(saved.added).toEqual(['a 1'])
    expect(Object.keys(readRpkFile(rpk)?.runs ?? {})).toEqual(['a 1'])
  })

  test('hands out recorded runs and reports unchecked keys as obsolete', () => {
    seed(['a 1', 'b 1', 'gone 1'])
    const file = new ReplayFile(testFile, { update: 'new' })
    expect(file.recorded('a 1')?.name).toBe('a')
    expect(file.recorded('zzz 1')).toBeUndefined()
    file.check('a 1')
    file.checkTest('b')
    expect(file.obsolete()).toEqual(['gone 1'])
    const saved = file.save()
    // Local runs report obsolete entries but keep them: only a re-record removes them.
    expect(saved).toMatchObject({ written: false, obsolete: ['gone 1'], removed: [] })
    expect(Object.keys(readRpkFile(rpk)?.runs ?? {}).sort()).toEqual(['a 1', 'b 1', 'gone 1'])
  })

  test('an update run removes obsolete entries and keeps those of skipped tests', () => {
    seed(['a 1', 'skipped 1', 'gone 1'])
    const file = new ReplayFile(testFile, { update: 'all' })
    file.store('a 1', { ...sampleRun('a', 1), outcome: { type: 'return', value: 'It is 14°C in Oslo.' } })
    file.checkTest('skipped')
    const saved = file.save()
    expect(saved).toMatchObject({ updated: ['a 1'], removed: ['gone 1'], obsolete: ['gone 1'] })
    expect(Object.keys(readRpkFile(rpk)?.runs ?? {}).sort()).toEqual(['a 1', 'skipped 1'])
  })

  test('an update run that leaves no entry deletes the file', () => {
    seed(['gone 1'])
    const saved = new ReplayFile(testFile, { update: 'all' }).save()
    expect(saved).toMatchObject({ deleted: true, removed: ['gone 1'] })
    expect(existsSync(rpk)).toBe(false)
  })

  test('CI writes nothing, not even new runs', () => {
    const file = new ReplayFile(testFile, { update: 'none' })
    file.store('a 1', sampleRun('a', 1))
    expect(file.save()).toMatchObject({ written: false, added: [] })
    expect(existsSync(rpk)).toBe(false)
  })

  test('a save with nothing new leaves the committed file untouched', () => {
    seed(['a 1'])
    const before = readFileSync(rpk, 'utf8')
    const file = new ReplayFile(testFile, { update: 'all' })
    file.store('a 1', { ...sampleRun('a', 1), timing: { totalMs: 99, networkMs: 1, ownMs: 98 } })
    expect(file.save().written).toBe(false)
    expect(readFileSync(rpk, 'utf8')).toBe(before)
  })

  test('new runs are written with the test file as source', () => {
    const file = new ReplayFile(testFile, { update: 'new' })
    file.store('a 1', sampleRun('a', 1))
    expect(file.save()).toMatchObject({ written: true, added: ['a 1'] })
    expect(readRpkFile(rpk)?.meta.source).toBe('../agent.test.ts')
  })

  test('an unreadable file fails the captures and is never overwritten by a local run', () => {
    mkdirSync(join(dir, '__snapshots__'))
    writeFileSync(rpk, '{ "schemaVersion": "1.0.0", "runs": {')
    const file = new ReplayFile(testFile, { update: 'new' })
    expect(() => file.recorded('a 1')).toThrow(/truncated/)
    file.store('a 1', sampleRun('a', 1))
    const saved = file.save()
    expect(saved.written).toBe(false)
    expect(String(saved.error)).toMatch(/truncated/)
    expect(readFileSync(rpk, 'utf8')).toBe('{ "schemaVersion": "1.0.0", "runs": {')
  })

  test('a re-record with --replace-invalid replaces an unreadable file, and says so', () => {
    mkdirSync(join(dir, '__snapshots__'))
    writeFileSync(rpk, 'not json')
    const file = new ReplayFile(testFile, { update: 'all', replaceInvalid: true })
    file.store('a 1', sampleRun('a', 1))
    const saved = file.save()
    expect(saved.written).toBe(true)
    expect(saved.replacedUnreadable).toMatch(/Failed to load the recording/)
    expect(Object.keys(readRpkFile(rpk)?.runs ?? {})).toEqual(['a 1'])
  })

  const KEEP = `sha256:${'a'.repeat(64)}`
  const DROP = `sha256:${'d'.repeat(64)}`
  test('blob references are inlined for replay and referenced blobs kept on save', () => {
    const run = sampleRun('a', 1)
    const step = run.steps[1]
    if (step?.kind !== 'model.response') throw new Error('fixture changed')
    const body = step.response.body
    step.response.body = { blob: KEEP }
    writeRpkFile(rpk, { runs: { 'a 1': run }, blobs: { [KEEP]: body!, [DROP]: { text: 'x' } } })
    const file = new ReplayFile(testFile, { update: 'all' })
    const recorded = file.recorded('a 1')
    expect(recorded?.steps[1]).toMatchObject({ response: { body } })
    file.store('b 1', sampleRun('b', 1))
    file.check('a 1')
    file.save()
    expect(Object.keys(readRpkFile(rpk)?.blobs ?? {})).toEqual([KEEP])
  })
})

describe('planCapture', () => {
  test('replays what is recorded and records what is missing, locally', () => {
    seed(['a 1'])
    const file = new ReplayFile(testFile, { update: 'new' })
    const first = planCapture(file, { name: 'a', mode: 'strict' })
    expect(first).toMatchObject({ key: 'a 1', index: 1, mode: 'strict', missing: false })
    expect(first.recording?.name).toBe('a')
    expect(planCapture(file, { name: 'a', mode: 'hybrid' })).toMatchObject({ key: 'a 2', mode: 'record' })
  })

  test('in CI a missing recording runs strict against nothing, whatever the mode', () => {
    const file = new ReplayFile(testFile, { update: 'none' })
    for (const mode of ['strict', 'hybrid', 'live-compare'] as const) {
      expect(planCapture(file, { name: mode, mode })).toMatchObject({ mode: 'strict', missing: true })
    }
  })

  test('a capture that would record into an unloadable file is refused before any live call', () => {
    mkdirSync(join(dir, '__snapshots__'))
    writeFileSync(rpk, 'corrupt')
    const refused = { code: 'RPK_WRITE_REFUSED', file: rpk }
    expect(() => planCapture(new ReplayFile(testFile, { update: 'all' }), { name: 'a', mode: 'strict' })).toThrow(
      expect.objectContaining(refused),
    )
    expect(() => planCapture(new ReplayFile(testFile, { update: 'new' }), { name: 'a', mode: 'record' })).toThrow(
      expect.objectContaining(refused),
    )
    expect(() => planCapture(new ReplayFile(testFile, { update: 'new' }), { name: 'a', mode: 'strict' })).toThrow(
      /Failed to load the recording/,
    )
    const replacing = new ReplayFile(testFile, { update: 'all', replaceInvalid: true })
    expect(planCapture(replacing, { name: 'a', mode: 'strict' }).mode).toBe('record')
  })
})
