/**
 * The cache of recordings that passed the load checks (artifact/checked-cache.ts): the built core
 * checks a file's bytes once and then only parses them, in any later process of the same build;
 * damaged bytes are checked (and fail) every time; the sources never skip a check; the markers
 * live in a folder only this user can write.
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { goodRpkText } from '../../../test/utils/bad-rpk-corpus.js'
import { CheckedCache, checkedCache, openCache } from '../src/artifact/checked-cache.js'

const CORE_DIST = new URL('../dist/esm/index.js', import.meta.url).href
const posix = process.platform !== 'win32'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-checked-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** Load `file` with the built core in a fresh process whose temporary folder is `temp`. */
function loadBuilt(file: string, temp: string): { ok: boolean; code?: string } {
  const script = `
    const { readRpkFile } = await import(${JSON.stringify(CORE_DIST)})
    try { readRpkFile(${JSON.stringify(file)}); console.log(JSON.stringify({ ok: true })) }
    catch (error) { console.log(JSON.stringify({ ok: false, code: error.code })) }`
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, TMPDIR: temp, TMP: temp, TEMP: temp },
  })
  expect(child.status, child.stderr).toBe(0)
  return JSON.parse(child.stdout.trim().split('\n').at(-1) as string)
}

/** The marker files under `temp` (paths relative to it). */
const markers = (temp: string): string[] =>
  readdirSync(temp, { recursive: true })
    .map(String)
    .filter((name) => /[0-9a-f]{64}$/.test(name))

/**
 * The good file without its seal (the text-hash.ts line): as a 1.0 writer or a hand edit leaves a
 * file, which gets every check. A sealed file needs no marker: its seal says the writer checked it.
 */
function unsealedText(): string {
  const sealed = goodRpkText()
  const unsealed = sealed.replace(/,\n {2}"textHash": "sha256:[0-9a-f]{64}"\n\}\n$/, '\n}\n')
  expect(unsealed).not.toBe(sealed)
  return unsealed
}

describe('the built core', () => {
  test('remembers unsealed bytes that passed, under a key of the build and the bytes', () => {
    const temp = join(dir, 'tmp')
    mkdirSync(temp)
    const file = join(dir, 'good.rpk')
    writeFileSync(file, unsealedText())
    expect(loadBuilt(file, temp)).toEqual({ ok: true })
    const owner = posix ? `replaykit-${process.getuid?.()}` : 'replaykit'
    const checked = markers(temp)
    expect(checked).toHaveLength(1)
    expect(checked[0]?.startsWith(join(owner, 'checked'))).toBe(true)
    // A second process finds the marker and loads the same bytes.
    expect(loadBuilt(file, temp)).toEqual({ ok: true })
    expect(markers(temp)).toEqual(checked)
  })

  test('leaves no marker for a sealed file: the seal already says its writer checked it', () => {
    const temp = join(dir, 'tmp')
    mkdirSync(temp)
    const file = join(dir, 'sealed.rpk')
    writeFileSync(file, goodRpkText())
    expect(loadBuilt(file, temp)).toEqual({ ok: true })
    expect(markers(temp)).toEqual([])
  })

  test('checks damaged bytes every time and never remembers them', () => {
    const temp = join(dir, 'tmp')
    mkdirSync(temp)
    const file = join(dir, 'edited.rpk')
    // A hand edit after the write: the content hash no longer matches.
    writeFileSync(file, goodRpkText().replace('"large"', '"LARGE"'))
    expect(loadBuilt(file, temp)).toEqual({ ok: false, code: 'RPK_HASH_MISMATCH' })
    expect(loadBuilt(file, temp)).toEqual({ ok: false, code: 'RPK_HASH_MISMATCH' })
    expect(markers(temp)).toEqual([])
  })
})

test('the sources have no build id: every load is checked', () => {
  expect(checkedCache()).toBeUndefined()
})

describe('the cache folder', () => {
  test('a key depends on the build and on every byte', () => {
    const cache = new CheckedCache(dir, 'build-a')
    const bytes = Buffer.from(goodRpkText())
    const other = Buffer.from(bytes)
    other[other.length - 2] = 0x20
    expect(cache.keyOf(bytes)).toBe(cache.keyOf(Buffer.from(bytes)))
    expect(cache.keyOf(other)).not.toBe(cache.keyOf(bytes))
    expect(new CheckedCache(dir, 'build-b').keyOf(bytes)).not.toBe(cache.keyOf(bytes))
    const key = cache.keyOf(bytes)
    expect(cache.has(key)).toBe(false)
    cache.add(key)
    cache.add(key)
    expect(cache.has(key)).toBe(true)
  })

  test.runIf(posix)('is private to the user: made 0700, refused when others can write it', () => {
    const cache = openCache(dir, 'build-a')
    expect(cache?.dir).toBe(join(dir, `replaykit-${process.getuid?.()}`, 'checked'))
    chmodSync(join(dir, `replaykit-${process.getuid?.()}`), 0o777)
    expect(openCache(dir, 'build-a')).toBeUndefined()
  })

  test.runIf(posix)('is refused when it is a symbolic link', () => {
    const elsewhere = join(dir, 'elsewhere')
    mkdirSync(elsewhere, { mode: 0o700 })
    const base = join(dir, 'base')
    mkdirSync(base)
    symlinkSync(elsewhere, join(base, `replaykit-${process.getuid?.()}`))
    expect(openCache(base, 'build-a')).toBeUndefined()
  })
})
