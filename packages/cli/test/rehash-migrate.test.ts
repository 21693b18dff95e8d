import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { parseRpk, SCHEMA_VERSION } from '@replaykit/core'
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { agentRun, writeRuns } from './fixtures.js'
import { cli, ensureBuilt, tempDir } from './helpers.js'

let dir: string
let file: string
beforeAll(() => ensureBuilt())
beforeEach(() => {
  dir = tempDir()
  file = writeRuns(dir, 'agent.rpk', [agentRun()])
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const read = (): string => readFileSync(file, 'utf8')

describe('replaykit rehash', () => {
  test('stores the hash of a hand-edited file, which then loads', () => {
    const edited = read().replace('How do I re-record?', 'How do I record again?')
    writeFileSync(file, edited)
    expect(() => parseRpk(edited, file)).toThrowError(expect.objectContaining({ code: 'RPK_HASH_MISMATCH' }))
    const result = cli(['rehash', 'agent.rpk'], dir)
    expect(result.code).toBe(0)
    expect(result.stderr).toBe('')
    expect(result.stdout).toMatch(/^agent\.rpk: content hash updated sha256:[0-9a-f]{12}… → sha256:[0-9a-f]{12}…\n$/)
    const loaded = parseRpk(read(), file)
    expect(JSON.stringify(loaded.runs)).toContain('How do I record again?')
    expect(loaded.meta.source).toBe('agent.test.ts')
    // No temp file is left beside it.
    expect(cli(['inspect', 'agent.rpk', '--quiet'], dir).code).toBe(0)
  })

  test('keeps how a gateway captured the file (meta.capture)', () => {
    const captured = read().replace(
      '"meta": {',
      '"meta": {\n    "capture": { "mode": "live", "policySource": "cli flags" },',
    )
    writeFileSync(file, captured.replace('How do I re-record?', 'How do I record again?'))
    expect(cli(['rehash', 'agent.rpk'], dir).code).toBe(0)
    expect(parseRpk(read(), file).meta.capture).toEqual({ mode: 'live', policySource: 'cli flags' })
  })

  test('leaves a file with the right hash alone', () => {
    const before = read()
    const mtime = statSync(file).mtimeMs
    const result = cli(['rehash', 'agent.rpk', '--json'], dir)
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({
      command: 'rehash',
      ok: true,
      written: false,
      signatureRemoved: false,
    })
    expect(read()).toBe(before)
    expect(statSync(file).mtimeMs).toBe(mtime)
  })

  test.each([
    ['invalid JSON', (text: string) => text.replace('"runs": {', '"runs": {,'), 'RPK_INVALID_JSON'],
    [
      'a schema violation',
      (text: string) => text.replace('"kind": "tool.request"', '"kind": "tool.call"'),
      'RPK_SCHEMA',
    ],
    [
      'a future version',
      (text: string) => text.replace(`"schemaVersion": "${SCHEMA_VERSION}"`, '"schemaVersion": "2.0.0"'),
      'RPK_FUTURE_VERSION',
    ],
  ])('refuses %s: exit 2, nothing written', (_name, damage, code) => {
    const damaged = damage(read())
    writeFileSync(file, damaged)
    const result = cli(['rehash', 'agent.rpk', '--json'], dir)
    expect(result.code).toBe(2)
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { code, file: 'agent.rpk' } })
    expect(read()).toBe(damaged)
  })

  test('refuses to store a secret added by hand', () => {
    const secret = `sk-proj-${'a1B2c3D4'.repeat(6)}`
    const damaged = read().replace('How do I re-record?', secret)
    writeFileSync(file, damaged)
    const result = cli(['rehash', 'agent.rpk'], dir)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('Refused to write the recording')
    expect(read()).toBe(damaged)
  })
})

describe('replaykit migrate', () => {
  test('a current file is reported and left untouched', () => {
    const before = read()
    const mtime = statSync(file).mtimeMs
    const result = cli(['migrate', 'agent.rpk'], dir)
    expect(result).toEqual({
      code: 0,
      stdout: `agent.rpk: schema ${SCHEMA_VERSION} is current (this ReplayKit writes ${SCHEMA_VERSION}); nothing to do\n`,
      stderr: '',
    })
    expect(read()).toBe(before)
    expect(statSync(file).mtimeMs).toBe(mtime)
    expect(JSON.parse(cli(['migrate', 'agent.rpk', '--json'], dir).stdout)).toEqual({
      command: 'migrate',
      ok: true,
      exitCode: 0,
      file: 'agent.rpk',
      from: SCHEMA_VERSION,
      to: SCHEMA_VERSION,
      migrated: false,
      steps: [],
    })
  })

  test('a schema 1.0 file (no seal) is rewritten at the current version, sealed, same content hash', () => {
    const current = read()
    // The file as the 1.0 writer wrote it: no textHash line, version 1.0.0.
    const old = current
      .replace(/,\n {2}"textHash": "sha256:[0-9a-f]{64}"\n\}\n$/, '\n}\n')
      .replace(`"schemaVersion": "${SCHEMA_VERSION}"`, '"schemaVersion": "1.0.0"')
    expect(old).not.toContain('textHash')
    writeFileSync(file, old)
    const result = cli(['migrate', 'agent.rpk', '--json'], dir)
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, from: '1.0.0', to: SCHEMA_VERSION, migrated: true })
    const migrated = read()
    expect(migrated).toMatch(/\n {2}"textHash": "sha256:[0-9a-f]{64}"\n\}\n$/)
    expect(parseRpk(migrated).contentHash).toBe(parseRpk(old).contentHash)
    expect(parseRpk(migrated).schemaVersion).toBe(SCHEMA_VERSION)
  })

  test('an old version without a known migration: exit 2, nothing written', () => {
    const old = read().replace(`"schemaVersion": "${SCHEMA_VERSION}"`, '"schemaVersion": "0.9.0"')
    writeFileSync(file, old)
    const result = cli(['migrate', 'agent.rpk'], dir)
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(
      `[ReplayKit] agent.rpk: Failed to migrate the recording: it has schema version 0.9.0, and no migration from it to ${SCHEMA_VERSION} is known.\n` +
        '  Fix: read it with the ReplayKit release that wrote it, or delete it and record anew (`replaykit test --update-replays`, or `replaykit record` for a CLI recording).\n',
    )
    expect(read()).toBe(old)
  })

  test('a future version or a tampered file: exit 2, nothing written', () => {
    const future = read().replace(`"schemaVersion": "${SCHEMA_VERSION}"`, '"schemaVersion": "1.4.0"')
    writeFileSync(file, future)
    const result = cli(['migrate', 'agent.rpk'], dir)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(`newer than ${SCHEMA_VERSION}`)
    expect(read()).toBe(future)
    const tampered = future
      .replace('"schemaVersion": "1.4.0"', `"schemaVersion": "${SCHEMA_VERSION}"`)
      .replace('re-record?', 'redo?')
    writeFileSync(file, tampered)
    expect(cli(['migrate', 'agent.rpk'], dir).code).toBe(2)
    expect(read()).toBe(tampered)
  })
})
