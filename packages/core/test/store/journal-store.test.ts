/**
 * What only the journal store does: one line per write beside the `.rpk`,
 * redacted and screened before it is written; recovery of a torn last line
 * (RPK_JOURNAL_TORN) and of a journal compacted already (RPK_JOURNAL_STALE);
 * damage in the middle is RPK_BAD_JOURNAL; a write the file system refuses is
 * RPK_WRITE_FAILED; compaction leaves only the `.rpk`.
 */
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { readRpkFile } from '../../src/artifact/read.js'
import type { Step } from '../../src/artifact/types.js'
import { writeRpkFile } from '../../src/artifact/write.js'
import { BadJournalError, WriteFailedError } from '../../src/errors/classes.js'
import { journalPathFor } from '../../src/store/journal-format.js'
import { JournalStore } from '../../src/store/journal-store.js'
import { openRecordingStore } from '../../src/store/open-store.js'
import type { StoreWarning } from '../../src/store/port.js'
import { ReplayFile } from '../../src/store/replay-file.js'
import { RpkStore } from '../../src/store/rpk-store.js'
import { sampleRun } from '../fixtures/sample-runs.js'
import { exchange } from './contract/store-contract.js'

let dir: string
let rpk: string
let journal: string
let warnings: StoreWarning[]
const open = (options = {}): JournalStore =>
  new JournalStore(rpk, { onWarning: (warning) => warnings.push(warning), ...options })
const lines = (): string[] => readFileSync(journal, 'utf8').split('\n')

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-journal-'))
  rpk = join(dir, 'agent.rpk')
  journal = journalPathFor(rpk)
  warnings = []
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('the journal', () => {
  test('each write is one line appended to <name>.rpk.journal, after a header naming the .rpk it extends', () => {
    writeRpkFile(rpk, { runs: { 'old 1': sampleRun('old', 1) } })
    const base = readRpkFile(rpk)?.contentHash
    const before = readFileSync(rpk, 'utf8')
    const store = open()
    store.append('a 1', exchange(0))
    store.append('a 1', exchange(1))
    store.put('b 1', sampleRun('b', 1))
    expect(JSON.parse(lines()[0] ?? '')).toEqual({ rpkJournal: 1, base })
    expect(
      lines()
        .slice(1)
        .map((line) => (line ? JSON.parse(line).op : line)),
    ).toEqual(['append', 'append', 'put', ''])
    expect(JSON.parse(lines()[2] ?? '')).toEqual({ op: 'append', key: 'a 1', steps: exchange(1) })
    // The .rpk is not touched until save() compacts.
    expect(readFileSync(rpk, 'utf8')).toBe(before)
    expect(Object.keys(store.read()?.runs ?? {}).sort()).toEqual(['a 1', 'b 1', 'old 1'])
  })

  test('compaction writes the .rpk atomically and removes the journal', () => {
    const store = open()
    store.append('a 1', exchange(0))
    expect(store.save()).toEqual({ written: true, deleted: false })
    expect(readdirSync(dir)).toEqual(['agent.rpk'])
    expect(readRpkFile(rpk)?.runs['a 1']?.steps).toEqual(exchange(0))
    // Nothing more to compact.
    expect(store.save()).toEqual({ written: false, deleted: false })
  })

  test('what is written is redacted first: an API key in a header never reaches the journal', () => {
    const key = `sk-proj-${'Zq9Xw8Vu'.repeat(6)}`
    const [request, response] = exchange(0) as [Step & { kind: 'model.request' }, Step]
    const withKey = { ...request, request: { ...request.request, headers: { authorization: `Bearer ${key}` } } }
    open().append('a 1', [withKey, response])
    expect(readFileSync(journal, 'utf8')).not.toContain(key)
    expect(open().read()?.runs['a 1']?.steps[0]).toMatchObject({
      request: { headers: { authorization: '[REDACTED:authorization]' } },
    })
  })

  test('a value that still looks like a credential after redaction is refused, and nothing is written', () => {
    const key = `sk-proj-${'Zq9Xw8Vu'.repeat(6)}`
    const [request, response] = exchange(0) as [Step & { kind: 'model.request' }, Step]
    const leaking = { ...request, request: { ...request.request, body: { json: { note: key } } } }
    // The built-in rules off: only the screen stands between the value and the disk.
    const store = open({ redact: { defaults: false } })
    expect(() => store.append('a 1', [leaking, response])).toThrowError(
      expect.objectContaining({ code: 'RPK_SECRET_DETECTED' }),
    )
    expect(existsSync(journal)).toBe(false)
  })

  test('steps that break the schema are refused before anything is written', () => {
    const store = open()
    expect(() => store.append('a 1', [{ kind: 'model.request' } as unknown as Step])).toThrowError(
      expect.objectContaining({ code: 'RPK_SCHEMA' }),
    )
    expect(existsSync(journal)).toBe(false)
  })
})

describe('recovery', () => {
  test('a torn last line is left out by read (with a warning) and cut by the next write', () => {
    const store = open()
    store.append('a 1', exchange(0))
    appendFileSync(journal, '{"op":"append","key":"a 1","st')
    expect(open().read()?.runs['a 1']?.steps).toEqual(exchange(0))
    expect(warnings.map((w) => w.code)).toEqual(['RPK_JOURNAL_TORN'])
    warnings = []
    const next = open()
    next.append('a 1', exchange(1))
    expect(warnings).toEqual([expect.objectContaining({ code: 'RPK_JOURNAL_TORN', file: journal })])
    expect(lines()).toHaveLength(4)
    expect(next.read()?.runs['a 1']?.steps).toEqual([...exchange(0), ...exchange(1)])
  })

  test('a writer killed mid-line after this store recovered is noticed by the last byte, not glued onto', () => {
    const store = open()
    store.append('a 1', exchange(0))
    appendFileSync(journal, '{"op":"app')
    store.append('a 1', exchange(1))
    expect(warnings.map((w) => w.code)).toEqual(['RPK_JOURNAL_TORN'])
    expect(open().read()?.runs['a 1']?.steps).toEqual([...exchange(0), ...exchange(1)])
  })

  test('recover() cuts a torn header: the journal held nothing complete and is removed', () => {
    writeFileSync(journal, '{"rpkJour')
    expect(
      open()
        .recover()
        .map((w) => w.code),
    ).toEqual(['RPK_JOURNAL_TORN'])
    expect(existsSync(journal)).toBe(false)
  })

  test('a journal already compacted (killed between writing the .rpk and removing the journal) is not applied twice', () => {
    const store = open()
    store.append('a 1', exchange(0))
    copyFileSync(journal, `${journal}.copy`)
    store.save()
    copyFileSync(`${journal}.copy`, journal)
    rmSync(`${journal}.copy`)
    expect(open().read()?.runs['a 1']?.steps).toEqual(exchange(0))
    expect(open().recover()).toEqual([expect.objectContaining({ code: 'RPK_JOURNAL_STALE' })])
    expect(existsSync(journal)).toBe(false)
    expect(readRpkFile(rpk)?.runs['a 1']?.steps).toEqual(exchange(0))
  })
})

describe('errors', () => {
  test('a damaged line in the middle is RPK_BAD_JOURNAL naming the line', () => {
    const store = open()
    for (let i = 0; i < 3; i++) store.append('a 1', exchange(i))
    const damaged = lines()
    damaged[2] = '{"op":"append","key":"a 1","steps":[{"kind":"model.re'
    writeFileSync(journal, damaged.join('\n'))
    const error = (() => {
      try {
        open().read()
      } catch (caught) {
        return caught
      }
    })()
    expect(error).toBeInstanceOf(BadJournalError)
    expect(error).toMatchObject({ code: 'RPK_BAD_JOURNAL', line: 3, file: journal })
    expect(String((error as Error).message)).toMatch(/line 3 is not JSON/)
    expect((error as BadJournalError).hint).toMatch(/restore it from a backup, or delete it/)
    // Nothing is compacted over damage.
    expect(() => open().save()).toThrowError(expect.objectContaining({ code: 'RPK_BAD_JOURNAL' }))
    expect(existsSync(rpk)).toBe(false)
  })

  test('a line edited into something that breaks the schema is RPK_BAD_JOURNAL with the path', () => {
    open().append('a 1', exchange(0))
    const edited = lines()
    edited[1] = JSON.stringify({ op: 'append', key: 'a 1', steps: [{ kind: 'model.request', seq: 'x' }] })
    writeFileSync(journal, edited.join('\n'))
    expect(() => open().read()).toThrowError(/line 2 breaks the recording schema: \$\.steps\[0\]/)
  })

  test('a journal of an unknown format is RPK_BAD_JOURNAL and is left alone', () => {
    writeFileSync(journal, '{"rpkJournal":7,"base":null}\n')
    expect(() => open().append('a 1', exchange(0))).toThrowError(/journal format 7; this ReplayKit reads format 1/)
    expect(readFileSync(journal, 'utf8')).toBe('{"rpkJournal":7,"base":null}\n')
  })

  test('no journal is started over a .rpk that does not load: its typed error, and no journal left', () => {
    writeFileSync(rpk, '{ "runs": ')
    expect(() => open().append('a 1', exchange(0))).toThrowError(expect.objectContaining({ code: 'RPK_TRUNCATED' }))
    expect(existsSync(journal)).toBe(false)
  })

  test('a write the file system refuses is RPK_WRITE_FAILED', () => {
    // A folder in the journal's place: refused whoever runs the test (root writes into read-only folders).
    mkdirSync(journal)
    const error = (() => {
      try {
        open().append('a 1', exchange(0))
      } catch (caught) {
        return caught
      }
    })()
    expect(error).toBeInstanceOf(WriteFailedError)
    expect(error).toMatchObject({ code: 'RPK_WRITE_FAILED', file: journal })
    expect((error as Error).message).toMatch(/Failed to write to the journal: EISDIR/)
  })
})

describe('with the other writers of a .rpk', () => {
  test('openRecordingStore gives the journal store only when a journal lies beside the file', () => {
    expect(openRecordingStore(rpk)).toBeInstanceOf(RpkStore)
    expect(openRecordingStore(rpk)).not.toBeInstanceOf(JournalStore)
    open().append('a 1', exchange(0))
    expect(openRecordingStore(rpk)).toBeInstanceOf(JournalStore)
  })

  test("a write of the .rpk store (a test file's default session) folds the journal in first, never strands it", () => {
    const testFile = join(dir, 'agent.test.ts')
    open().append('live 1', exchange(0))
    const file = new ReplayFile(testFile, { update: 'new', rpkPath: rpk })
    file.store('a 1', sampleRun('a', 1))
    expect(file.save()).toMatchObject({ written: true, added: ['a 1'] })
    expect(existsSync(journal)).toBe(false)
    expect(Object.keys(readRpkFile(rpk)?.runs ?? {}).sort()).toEqual(['a 1', 'live 1'])
    // And a whole-file replace applies the journal on top of what it writes.
    open().append('live 1', exchange(1))
    new RpkStore(rpk).replace(readRpkFile(rpk) as NonNullable<ReturnType<typeof readRpkFile>>)
    expect(readRpkFile(rpk)?.runs['live 1']?.steps).toEqual([...exchange(0), ...exchange(1)])
    expect(existsSync(journal)).toBe(false)
  })

  test("a test file's session saving through the journal store keeps the journal's exchanges", () => {
    const testFile = join(dir, 'agent.test.ts')
    open().append('live 1', exchange(0))
    const file = new ReplayFile(testFile, { update: 'new', rpkPath: rpk, store: open() })
    expect(file.recorded('live 1')?.steps).toEqual(exchange(0))
    file.store('a 1', sampleRun('a', 1))
    expect(file.save()).toMatchObject({ written: true, added: ['a 1'] })
    expect(Object.keys(readRpkFile(rpk)?.runs ?? {}).sort()).toEqual(['a 1', 'live 1'])
    expect(existsSync(journal)).toBe(false)
  })
})
