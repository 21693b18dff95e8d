/**
 * Recordings whose exact bytes passed every load check before, in an earlier process of the same
 * build of core: loading them again only decodes and parses them.
 *
 * @note Why: a test worker loads its test file's `.rpk` on its first capture, and the checks (the
 * byte scan for duplicate members and inexact numbers, the schema's generated validator, the
 * replay rules, the content hash) cost about ten times the decode and `JSON.parse` of the file (a
 * 475 KB recording of 25 tests: about 45 ms against 4 ms, most of a worker's setup after loading
 * code; docs/performance.md). The checks are a pure function of the bytes and of the reader's code,
 * so their verdict is remembered under a hash of both, the way a compile cache remembers compiled
 * code: an empty marker file named by sha256(build id, bytes), in a folder that only this user can
 * write. A changed byte, a rebuilt or upgraded core checks again, and running from the sources (no
 * build id: tests of core itself) never skips a check. Only a pass is remembered: a failing file
 * fails with its full error every time.
 */
import { existsSync, lstatSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHash } from '../lazy-deps.js'

/**
 * A hash of core's sources, set by the build (scripts/build-package.mjs defines it); absent when
 * the sources run as they are.
 */
declare const __REPLAYKIT_BUILD_ID__: string | undefined

/** Remembers which bytes passed the load checks. */
export class CheckedCache {
  readonly dir: string
  readonly #buildId: string

  constructor(dir: string, buildId: string) {
    this.dir = dir
    this.#buildId = buildId
  }

  /** The name of the bytes' marker: the build and the bytes, hashed together. */
  keyOf(bytes: Uint8Array): string {
    return createHash('sha256').update(this.#buildId).update('\0').update(bytes).digest('hex')
  }

  /** True when bytes with this key passed every check before. */
  has(key: string): boolean {
    return existsSync(join(this.dir, key))
  }

  /** Remember that bytes with this key passed. Best effort: a marker that cannot be written only costs a check later. */
  add(key: string): void {
    try {
      writeFileSync(join(this.dir, key), '', { flag: 'wx', mode: 0o600 })
    } catch {
      // Already there (another worker loaded the same file), or the folder is gone or full.
    }
  }
}

let shared: CheckedCache | undefined | null = null

/** The cache of this build, or undefined when every load must check (sources, or no private folder). */
export function checkedCache(): CheckedCache | undefined {
  if (shared !== null) return shared
  const buildId = typeof __REPLAYKIT_BUILD_ID__ === 'string' ? __REPLAYKIT_BUILD_ID__ : undefined
  shared = buildId === undefined ? undefined : openCache(tmpdir(), buildId)
  return shared
}

/**
 * The cache in `<base>/replaykit-<uid>/checked`, or undefined when that folder cannot be made
 * private: a marker another user could plant would skip the checks for a file of their choosing.
 */
export function openCache(base: string, buildId: string): CheckedCache | undefined {
  const uid = process.getuid?.()
  const home = join(base, uid === undefined ? 'replaykit' : `replaykit-${uid}`)
  const dir = join(home, 'checked')
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    // POSIX: both folders are real folders of this user that no one else can write. (Windows has
    // no uid, and its temporary folder is the user's own.)
    if (uid !== undefined) {
      for (const folder of [home, dir]) {
        const stat = lstatSync(folder)
        if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 0o022) !== 0) return undefined
      }
    }
    return new CheckedCache(dir, buildId)
  } catch {
    return undefined
  }
}
