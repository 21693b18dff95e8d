import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { entryValidatorSource, validatorSource } from '../scripts/generate-validator.mjs'
import {
  buildRpk,
  canonicalStringify,
  computeContentHash,
  isReplayKitError,
  parseRpk,
  type ReplayKitError,
  readRpkFile,
  rpkSchemaV1,
  SCHEMA_VERSION,
  serializeRpk,
  VERSION,
  writeRpkFile,
} from '../src/index.js'
import { sampleRun } from './fixtures/sample-runs.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-artifact-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const content = () => ({ runs: { 'agent answers 1': sampleRun() }, source: 'agent.test.ts' })

/** Load the text and return the typed error it fails with. */
function loadError(text: string, file = 'x.rpk'): ReplayKitError {
  try {
    parseRpk(text, file)
  } catch (error) {
    if (isReplayKitError(error)) return error
    throw error
  }
  throw new Error('expected the load to fail')
}

function validText(): string {
  return serializeRpk(buildRpk(content(), new Date('2026-01-01T00:00:00Z')))
}

describe('loading', () => {
  test('a written file loads back to the same runs', () => {
    const file = join(dir, '__snapshots__', 'agent.test.ts.rpk')
    expect(writeRpkFile(file, content()).written).toBe(true)
    const loaded = readRpkFile(file)
    expect(loaded?.runs).toEqual(content().runs)
    expect(loaded?.schemaVersion).toBe(SCHEMA_VERSION)
    expect(loaded?.meta.writer).toBe(`@replaykit/core@${VERSION}`)
    expect(loaded?.meta.source).toBe('agent.test.ts')
  })

  test('a missing file is no recording, not an error', () => {
    expect(readRpkFile(join(dir, 'nope.rpk'))).toBeUndefined()
  })

  test('invalid JSON names the file, line and column', () => {
    const text = validText().replace('"name": "agent answers"', '"name": "agent answers",,')
    const error = loadError(text, 'a/b.rpk')
    expect(error.code).toBe('RPK_INVALID_JSON')
    const line = text.split('\n').findIndex((l) => l.includes('",,')) + 1
    expect(error.message).toContain('a/b.rpk: ')
    expect(error.message).toMatch(new RegExp(`line ${line}, column \\d+`))
    expect(error.hint).toMatch(/replaykit rehash a\/b.rpk`.*--update-replays --replace-invalid/)
  })

  test('a truncated file says so, with where it ends', () => {
    const text = validText()
    const error = loadError(text.slice(0, Math.floor(text.length / 2)))
    expect(error.code).toBe('RPK_TRUNCATED')
    expect(error.message).toMatch(/line \d+, column \d+; the file is truncated/)
    expect(loadError('').code).toBe('RPK_TRUNCATED')
  })

  test('a schema violation gives the JSON path', () => {
    const file = JSON.parse(validText())
    file.runs['agent answers 1'].steps[1].kind = 'model.reply'
    const error = loadError(JSON.stringify(file))
    expect(error.code).toBe('RPK_SCHEMA')
    expect(error.message).toContain('$.runs["agent answers 1"].steps[1].kind')
    const unknown = JSON.parse(validText())
    unknown.runs['agent answers 1'].steps[0].request.extra = 1
    expect(loadError(JSON.stringify(unknown)).message).toContain(
      '$.runs["agent answers 1"].steps[0].request.extra is not a known member',
    )
    const missing = JSON.parse(validText())
    delete missing.runs['agent answers 1'].outcome
    expect(loadError(JSON.stringify(missing)).message).toContain('$.runs["agent answers 1"].outcome is required')
  })

  test('a file from a future major or minor names both versions', () => {
    for (const version of ['2.0.0', '1.9.0']) {
      const file = JSON.parse(validText())
      file.schemaVersion = version
      const error = loadError(JSON.stringify(file))
      expect(error.code).toBe('RPK_FUTURE_VERSION')
      expect(error.message).toContain(version)
      expect(error.message).toContain(SCHEMA_VERSION)
      expect(error.hint).toMatch(/upgrade/)
    }
  })

  test('a file from an older major asks for migration', () => {
    const file = JSON.parse(validText())
    file.schemaVersion = '0.9.0'
    const error = loadError(JSON.stringify(file))
    expect(error.code).toBe('RPK_OLD_VERSION')
    expect(error.hint).toContain('replaykit migrate')
  })

  test('no schemaVersion at all is not a recording', () => {
    expect(loadError('{"runs":{}}').message).toContain('$.schemaVersion is missing')
    expect(loadError('[1,2]').code).toBe('RPK_SCHEMA')
  })

  test('an edited file fails its hash check', () => {
    const text = validText().replace('weather in Oslo?', 'weather in Bergen?')
    const error = loadError(text)
    expect(error.code).toBe('RPK_HASH_MISMATCH')
    expect(error.message).toMatch(/edited or tampered/)
  })

  test('volatile metadata and timing do not enter the hash', () => {
    const file = JSON.parse(validText())
    file.meta.updatedAt = '2030-01-01T00:00:00.000Z'
    file.meta.writer = '@replaykit/core@9.9.9'
    file.runs['agent answers 1'].timing.totalMs = 999
    file.runs['agent answers 1'].steps[1].timing.durationMs = 999
    expect(() => parseRpk(JSON.stringify(file))).not.toThrow()
  })
})

describe('writing', () => {
  test('the same content gives the same bytes, whatever the key order or write time', () => {
    const a = serializeRpk(buildRpk(content(), new Date(0)))
    const reordered = JSON.parse(JSON.stringify(content()), (_k, v) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
    )
    const b = serializeRpk(buildRpk(reordered, new Date(0)))
    expect(b).toBe(a)
    expect(a.endsWith('}\n')).toBe(true)
    expect(a).not.toContain('\r')
  })

  test('source paths are stored with /', () => {
    expect(buildRpk({ runs: {}, source: 'src\\agent.test.ts' }).meta.source).toBe('src/agent.test.ts')
  })

  test('unchanged content is not rewritten', () => {
    const file = join(dir, 'a.rpk')
    writeRpkFile(file, content())
    const before = readFileSync(file, 'utf8')
    const mtime = statSync(file).mtimeMs
    expect(writeRpkFile(file, content()).written).toBe(false)
    expect(readFileSync(file, 'utf8')).toBe(before)
    expect(statSync(file).mtimeMs).toBe(mtime)
  })

  test('writes atomically and leaves no temp file', () => {
    const file = join(dir, 'a.rpk')
    writeRpkFile(file, content())
    const changed = content()
    changed.runs['agent answers 1'].outcome = { type: 'return', value: 'changed' }
    expect(writeRpkFile(file, changed).written).toBe(true)
    expect(readdirSync(dir)).toEqual(['a.rpk'])
    expect(readRpkFile(file)?.runs['agent answers 1']?.outcome).toEqual({ type: 'return', value: 'changed' })
  })

  test('a file that fails to load is never overwritten', () => {
    const file = join(dir, 'a.rpk')
    const corrupt = validText().slice(0, 100)
    writeFileSync(file, corrupt)
    expect(() => writeRpkFile(file, content())).toThrowError(/truncated/)
    expect(readFileSync(file, 'utf8')).toBe(corrupt)
    const future = JSON.parse(validText())
    future.schemaVersion = '3.0.0'
    writeFileSync(file, JSON.stringify(future))
    expect(() => writeRpkFile(file, content())).toThrowError(/newer than/)
    expect(JSON.parse(readFileSync(file, 'utf8')).schemaVersion).toBe('3.0.0')
  })

  test('a secret in the content is refused and nothing is written', () => {
    const file = join(dir, 'a.rpk')
    const leaky = content()
    leaky.runs['agent answers 1'].outcome = { type: 'return', value: `key sk-proj-${'a'.repeat(40)}` }
    let caught: unknown
    try {
      writeRpkFile(file, leaky)
    } catch (error) {
      caught = error
    }
    expect(isReplayKitError(caught) && caught.code).toBe('RPK_SECRET_DETECTED')
    expect(String((caught as Error).message)).not.toContain('a'.repeat(40))
    expect(readdirSync(dir)).toEqual([])
  })

  test('the content hash is stored and checked', () => {
    const built = buildRpk(content())
    expect(built.contentHash).toBe(computeContentHash(content()))
    expect(built.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/)
  })
})

describe('published schema', () => {
  test('schema/rpk-1.schema.json is the schema the code validates with', () => {
    const published = readFileSync(new URL('../schema/rpk-1.schema.json', import.meta.url), 'utf8')
    expect(published).toBe(canonicalStringify(rpkSchemaV1))
  })

  test('the committed Ajv standalone validator is the one the schema generates', () => {
    const committed = readFileSync(new URL('../src/artifact/schema/v1-validate.generated.cjs', import.meta.url), 'utf8')
    // Stale after a schema change? Run: node packages/core/scripts/generate-validator.mjs
    expect(committed).toBe(validatorSource(rpkSchemaV1))
  })

  test('the committed journal entry validator is the one the schema generates, and none of its functions is large', () => {
    const url = new URL('../src/artifact/schema/v1-entry-validate.generated.cjs', import.meta.url)
    const source = readFileSync(url, 'utf8')
    expect(source).toBe(entryValidatorSource(rpkSchemaV1))
    // The point of it (docs/performance.md): the whole-file validator is one ~205 KB function.
    const starts = [...source.matchAll(/function validate\d+\(/g)].map((m) => m.index ?? 0)
    const sizes = starts.map((start, i) => (starts[i + 1] ?? source.length) - start)
    expect(sizes.length).toBeGreaterThan(10)
    expect(Math.max(...sizes)).toBeLessThan(16_000)
  })

  test('VERSION matches package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
    expect(VERSION).toBe(pkg.version)
  })
})
