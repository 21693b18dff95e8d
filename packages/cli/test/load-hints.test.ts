/**
 * The fix a load error names must work today: a plain `replaykit test
 * --update-replays` refuses to replace a file it cannot load (store/refusal.ts),
 * so no hint may send the user there. A hash mismatch names `replaykit rehash`
 * with the file's own path, and that command, run as written, makes the file load;
 * the other content errors name `--replace-invalid`, which may replace them.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { isReplayKitError, readRpkFile } from '@replaykit/core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { badRpkCorpus } from '../../../test/utils/bad-rpk-corpus.js'
import { isReplaceable } from '../../core/src/artifact/write.js'
import { cli, ensureBuilt, tempDir } from './helpers.js'

let dir: string
const corpus = badRpkCorpus({ large: false })

beforeAll(async () => {
  await ensureBuilt()
  dir = tempDir()
  for (const entry of corpus) entry.make(join(dir, `${entry.slug}.rpk`))
})
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** The load error's code and hint; undefined when the reader sees no file (a dangling symlink). */
function loadError(file: string): { code: string; hint: string } | undefined {
  try {
    if (readRpkFile(file) === undefined) return undefined
  } catch (error) {
    if (!isReplayKitError(error)) throw error
    return { code: error.code, hint: error.hint ?? '' }
  }
  throw new Error(`${file} loaded`)
}

test('no load error hints at a plain `replaykit test --update-replays`, which refuses the file', () => {
  let checked = 0
  for (const entry of corpus) {
    const error = loadError(join(dir, `${entry.slug}.rpk`))
    if (!error) continue
    checked++
    const { code, hint } = error
    expect(code, entry.name).toBe(entry.expectedCode)
    expect(hint, entry.name).not.toMatch(/`(npx )?replaykit test --update-replays`/)
    // A hint naming --replace-invalid is only given for a file that flag may replace.
    if (hint.includes('--replace-invalid')) expect(isReplaceable(code), entry.name).toBe(true)
  }
  expect(checked).toBeGreaterThan(15)
})

test('a hand-edited file: the hinted `replaykit rehash <file>`, run as written, makes it load', () => {
  const entry = corpus.find((e) => e.expectedCode === 'RPK_HASH_MISMATCH')
  if (!entry) throw new Error('the corpus has no hash mismatch')
  const file = join(dir, `${entry.slug}.rpk`)
  const hint = loadError(file)?.hint ?? ''
  const command = /`replaykit (rehash [^`]+)`/.exec(hint)?.[1]
  expect(command).toBe(`rehash ${file}`)
  const result = cli((command as string).split(' '), dir)
  expect(result.code).toBe(0)
  expect(readRpkFile(file)).toBeDefined()
})
