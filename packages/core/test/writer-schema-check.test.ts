/**
 * The writer decides the seal (artifact/text-hash.ts) by whether the file follows the schema:
 * it asks `followsSchema`, the whole-file validator over the top level alone and the entry
 * validator over runs and blobs, which V8 optimises sooner (artifact/validate.ts). Its answer
 * must be the whole-file validator's, for every part of a file that can be wrong.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { isSealed } from '../src/artifact/text-hash.js'
import { followsSchema, validateRpk } from '../src/artifact/validate.js'
import { buildRpk, type RpkContent, type RpkFile, type Run, serializeRpk, writeRpkFile } from '../src/index.js'
import { sampleRun } from './fixtures/sample-runs.js'

const wholeFile = vi.hoisted(() => ({ calls: 0 }))
// validateRpk is the whole-file validator over the whole file: count its calls.
vi.mock('../src/artifact/validate.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/artifact/validate.js')>()
  return {
    ...real,
    validateRpk: (value: unknown) => {
      wholeFile.calls++
      return real.validateRpk(value)
    },
  }
})

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-writer-schema-'))
  wholeFile.calls = 0
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const BLOB = `sha256:${'b'.repeat(64)}`

/** A valid file with a blob, and copies of it wrong in one place each. */
function files(): Record<string, unknown> {
  const valid = buildRpk({ runs: { 'a 1': sampleRun('a') }, blobs: { [BLOB]: { json: { big: true } } } }, new Date(0))
  const clone = (): RpkFile => JSON.parse(JSON.stringify(valid)) as RpkFile
  const withRun = (change: (run: Record<string, unknown>) => void): RpkFile => {
    const file = clone()
    change(file.runs['a 1'] as unknown as Record<string, unknown>)
    return file
  }
  return {
    valid,
    'without blobs': { ...clone(), blobs: undefined },
    'schemaVersion not semver': { ...clone(), schemaVersion: 'one' },
    'an unknown top-level member': { ...clone(), extra: 1 },
    'meta missing': { ...clone(), meta: undefined },
    'runs missing': { ...clone(), runs: undefined },
    'runs not an object': { ...clone(), runs: [] },
    'a run index of 0': withRun((run) => {
      run.index = 0
    }),
    'a step of an unknown kind': withRun((run) => {
      ;(run.steps as Array<Record<string, unknown>>)[0] = { ...(run.steps as object[])[0], kind: 'model.guess' }
    }),
    'an unknown member of a run': withRun((run) => {
      run.colour = 'blue'
    }),
    'a blob with json and text': { ...clone(), blobs: { [BLOB]: { json: 1, text: 'x' } } },
    'a blob key that is not a hash': { ...clone(), blobs: { nope: { json: 1 } } },
  }
}

describe('followsSchema', () => {
  test('gives the whole-file validator’s answer, for a fault in each part of a file', () => {
    for (const [name, file] of Object.entries(files())) {
      // What the writer checks is the file as it reads back: members left undefined are not in it.
      const asRead = JSON.parse(JSON.stringify(file)) as RpkFile
      expect([name, followsSchema(asRead)]).toEqual([name, validateRpk(asRead) === undefined])
    }
    expect(followsSchema(files().valid as RpkFile)).toBe(true)
    expect(followsSchema(files()['a run index of 0'] as RpkFile)).toBe(false)
    expect(followsSchema(files()['schemaVersion not semver'] as RpkFile)).toBe(false)
  })
})

describe('the writer', () => {
  test('decides the seal without the whole-file validator over the whole file, and still seals only what follows the schema', () => {
    const good = join(dir, 'good.rpk')
    writeRpkFile(good, { runs: { 'a 1': sampleRun('a') } })
    const bad = join(dir, 'bad.rpk')
    writeRpkFile(bad, { runs: { 'a 1': { ...sampleRun('a'), index: 0 } } })
    expect(wholeFile.calls).toBe(0)
    expect(isSealed(readFileSync(good))).toBe(true)
    expect(isSealed(readFileSync(bad))).toBe(false)
  })

  test('checks each run for the seal as it writes it: a fault in any run, or a reference to a blob the file lacks, leaves it unsealed', () => {
    const withBlobRef = (hash: string): Run => {
      const run = sampleRun('r')
      const request = run.steps.find((step) => 'request' in step) as { request: { body?: unknown } }
      request.request.body = { blob: hash }
      return run
    }
    const cases: Array<[string, RpkContent, boolean]> = [
      ['three valid runs', { runs: { 'a 1': sampleRun('a'), 'b 1': sampleRun('b'), 'c 1': sampleRun('c') } }, true],
      [
        'the second of three runs breaks the schema',
        { runs: { 'a 1': sampleRun('a'), 'b 1': { ...sampleRun('b'), index: 0 }, 'c 1': sampleRun('c') } },
        false,
      ],
      [
        'a run names a blob the file holds',
        { runs: { 'r 1': withBlobRef(BLOB) }, blobs: { [BLOB]: { json: 1 } } },
        true,
      ],
      [
        'a run names a blob the file lacks',
        {
          runs: { 'a 1': sampleRun('a'), 'r 1': withBlobRef(`sha256:${'c'.repeat(64)}`) },
          blobs: { [BLOB]: { json: 1 } },
        },
        false,
      ],
    ]
    for (const [name, content, sealed] of cases) {
      const file = join(dir, 'case.rpk')
      rmSync(file, { force: true })
      writeRpkFile(file, content)
      const text = readFileSync(file, 'utf8')
      expect([name, isSealed(readFileSync(file))]).toEqual([name, sealed])
      // The same decision, and bytes, as the whole-file writer's.
      const built = buildRpk(content, new Date(JSON.parse(text).meta.updatedAt as string))
      expect([name, text]).toEqual([name, serializeRpk(built)])
    }
  })
})
