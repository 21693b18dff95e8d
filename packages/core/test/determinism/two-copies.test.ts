/**
 * The ESM and the CommonJS build of core in one process (issue 11, one owner of process-wide
 * state): their determinism patches are one part held in the runtime, counted per copy. The
 * globals are patched once (not wrapped twice), each copy's captures draw from their own tape,
 * and the exact originals come back only when the last copy lets go, in either order.
 */
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, test } from 'vitest'

type Install = (currentTape: () => { next: (...args: never[]) => number | string } | undefined) => () => void

const DIST = join(import.meta.dirname, '../../dist')
const esm = (await import(pathToFileURL(join(DIST, 'esm/public/engine.js')).href)) as { installDeterminism: Install }
const cjs = createRequire(import.meta.url)(join(DIST, 'cjs/public/engine.js')) as { installDeterminism: Install }

/** A tape that hands back `value` for every draw. */
const tape = (value: number) => ({ next: () => value })

describe.each([
  ['the ESM copy leaves first', 'esm'],
  ['the CJS copy leaves first', 'cjs'],
])('%s', (_name, first) => {
  test('one set of patches, each copy drawing from its own tape, the originals back after the last', () => {
    expect(esm.installDeterminism).not.toBe(cjs.installDeterminism)
    const original = { now: Date.now, random: Math.random }
    let current: 'esm' | 'cjs' | undefined
    const release = {
      esm: esm.installDeterminism(() => (current === 'esm' ? tape(111) : undefined)),
      cjs: cjs.installDeterminism(() => (current === 'cjs' ? tape(222) : undefined)),
    }
    const patched = Date.now
    expect(patched).not.toBe(original.now)
    try {
      current = 'esm'
      expect(Date.now()).toBe(111)
      current = 'cjs'
      expect(Date.now()).toBe(222)
      current = undefined
      expect(Math.abs(Date.now() - original.now())).toBeLessThan(60_000)

      const last = first === 'esm' ? 'cjs' : 'esm'
      release[first as 'esm' | 'cjs']()
      // Still patched, by the same functions: the other copy holds them.
      expect(Date.now).toBe(patched)
      current = last
      expect(Date.now()).toBe(last === 'esm' ? 111 : 222)
      current = first as 'esm' | 'cjs'
      expect(Date.now()).not.toBe(first === 'esm' ? 111 : 222)
      release[first as 'esm' | 'cjs']() // a second release does nothing
      expect(Date.now).toBe(patched)

      release[last]()
      expect(Date.now).toBe(original.now)
      expect(Math.random).toBe(original.random)
    } finally {
      current = undefined
      release.esm()
      release.cjs()
    }
  })
})
