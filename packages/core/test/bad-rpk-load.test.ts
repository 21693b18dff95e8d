/**
 * Every file of the bad-file corpus, loaded in-process: a typed error with the
 * corpus's code, naming the file, with a fix; plus the files that must load
 * (patch versions, `__proto__` inside a body, numbers that read back exactly).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { badRpkCorpus, corpusRun, goodRpk, goodRpkText } from '../../../test/utils/bad-rpk-corpus.js'
import { buildRpk, isReplayKitError, parseRpk, readRpkFile, SCHEMA_VERSION, serializeRpk } from '../src/index.js'

const dir = mkdtempSync(join(tmpdir(), 'rpk-bad-load-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function loadError(load: () => unknown): { code: string; message: string; file?: string } {
  try {
    load()
  } catch (error) {
    if (!isReplayKitError(error)) throw error
    return { code: error.code, message: error.message, file: error.file }
  }
  throw new Error('it loaded')
}

describe('the bad-file corpus: each file is refused with its own typed error naming the file', () => {
  test.each(badRpkCorpus().map((entry) => [entry.name, entry] as const))('%s', (_name, entry) => {
    const path = join(dir, `${entry.slug}.rpk`)
    entry.make(path)
    if (entry.says === 'the file does not exist') {
      // The engine's reader treats a missing file as "not recorded yet"; the CLI says it is missing.
      expect(readRpkFile(path)).toBeUndefined()
      return
    }
    const error = loadError(() => readRpkFile(path))
    expect(error.code).toBe(entry.expectedCode)
    expect(error.file).toBe(path)
    expect(error.message).toContain(`${path}: Failed to `)
    expect(error.message).toContain(entry.says)
    expect(error.message).toMatch(/\n {2}Fix: \S/)
  })
})

describe('schema versions (docs/schema.md)', () => {
  const withVersion = (version: string): string =>
    goodRpkText().replace(`"schemaVersion": "${SCHEMA_VERSION}"`, `"schemaVersion": "${version}"`)
  const [major, minor] = SCHEMA_VERSION.split('.').map(Number) as [number, number]

  test('a newer patch reads: patches never change the format', () => {
    const patch = `${major}.${minor}.1`
    expect(parseRpk(withVersion(patch), 'a.rpk').schemaVersion).toBe(patch)
  })
  test('a newer minor is refused: it may hold members this reader would drop', () => {
    expect(loadError(() => parseRpk(withVersion(`${major}.${minor + 1}.0`), 'a.rpk')).code).toBe('RPK_FUTURE_VERSION')
  })
  test('a newer major (2.0.0) is refused with the upgrade to make', () => {
    const error = loadError(() => parseRpk(withVersion('2.0.0'), 'a.rpk'))
    expect(error.code).toBe('RPK_FUTURE_VERSION')
    expect(error.message).toContain('upgrade the @replaykit packages')
  })
  test('an older major (0.9.0) is refused with the migrate command', () => {
    const error = loadError(() => parseRpk(withVersion('0.9.0'), 'a.rpk'))
    expect(error.code).toBe('RPK_OLD_VERSION')
    expect(error.message).toContain('replaykit migrate')
  })
})

describe('what must still load', () => {
  test('"__proto__" as a member of a recorded body is data, and keeps its hash', () => {
    const run = corpusRun()
    const request = run.steps[0] as { request: { body: { json: Record<string, unknown> } } }
    Object.defineProperty(request.request.body.json, '__proto__', { value: { polluted: true }, enumerable: true })
    const text = serializeRpk(goodRpk(run))
    expect(text).toContain('"__proto__": {')
    const loaded = parseRpk(text, 'a.rpk')
    const json = (loaded.runs['corpus 1']!.steps[0] as unknown as typeof request).request.body.json
    expect(Object.hasOwn(json, '__proto__')).toBe(true)
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined()
  })
  test('numbers that read back exactly, in any notation, and keys out of order without duplicates', () => {
    const text = goodRpkText().replace(
      '"content": "hi",',
      '"content": "hi", "z": 1, "y": [1.0, 0.1, -0, 1e-7, 1.5E+300, 9007199254740992e0, 123456789012345.6],',
    )
    expect(text).not.toBe(goodRpkText())
    // Not canonical any more, so only the hash can fail: the structure checks pass.
    expect(loadError(() => parseRpk(text, 'a.rpk')).code).toBe('RPK_HASH_MISMATCH')
  })
  test('the bytes of a file and its text load the same', () => {
    const text = serializeRpk(goodRpk())
    expect(parseRpk(Buffer.from(text), 'a.rpk')).toEqual(parseRpk(text, 'a.rpk'))
  })
})

test('the corpus files are made the same way every time', () => {
  for (const entry of badRpkCorpus({ large: false })) {
    if (entry.slug.startsWith('a-')) continue
    entry.make(join(dir, 'one', `${entry.slug}.rpk`))
    entry.make(join(dir, 'two', `${entry.slug}.rpk`))
    expect(readFileSync(join(dir, 'one', `${entry.slug}.rpk`))).toEqual(
      readFileSync(join(dir, 'two', `${entry.slug}.rpk`)),
    )
  }
})

test('a value nested deeper than a recording may hold is refused at write, with its path, not a stack overflow', () => {
  let deep: unknown = 1
  for (let i = 0; i < 100_000; i++) deep = [deep]
  const run = { ...corpusRun(), outcome: { type: 'return' as const, value: deep as never } }
  const error = loadError(() => serializeRpk(buildRpk({ runs: { 'corpus 1': run } })))
  expect(error.code).toBe('RPK_TOO_DEEP')
  expect(error.message).toContain('$.runs.corpus 1.outcome.value[0][0]')
})
