/**
 * The one error family: a class per failure, each code declared once, raised
 * by its class somewhere in the packages, and nothing thrown to users outside
 * the family (issue 11).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, test } from 'vitest'
import { ERROR_CLASSES } from '../src/errors/classes.js'
import { ERROR_CODES, isReplayKitError, ReplayKitError } from '../src/errors.js'
import * as publicErrors from '../src/public/errors.js'

const PACKAGES = join(import.meta.dirname, '..', '..')

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sources(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

/** Every source file of every package, but the family's own files. */
const FILES = readdirSync(PACKAGES)
  .flatMap((name) => sources(join(PACKAGES, name, 'src')))
  .filter((file) => !/core[\\/]src[\\/](errors\.ts|errors[\\/])/.test(file))
  .map((file) => ({ file: relative(PACKAGES, file), text: readFileSync(file, 'utf8') }))

describe('the error classes', () => {
  test('one class per declared code, and no class without a code', () => {
    expect(Object.keys(ERROR_CLASSES).sort()).toEqual([...ERROR_CODES].sort())
  })

  test.each(ERROR_CODES)('%s: its class sets the code, a default fix and the family name', (code) => {
    const Class = ERROR_CLASSES[code]
    const error = new Class('Failed to do it: because.', { file: 'a.rpk' })
    expect(error).toBeInstanceOf(ReplayKitError)
    expect(isReplayKitError(error)).toBe(true)
    expect(error).toMatchObject({ code, name: 'ReplayKitError', file: 'a.rpk' })
    expect(error.hint).toMatch(/\S/)
    expect(error.message).toMatch(/^\[ReplayKit\] a\.rpk: Failed to do it: because\.\n {2}Fix: /)
    // The thrower's own fix wins over the default.
    expect(new Class('x', { hint: 'do this.' }).hint).toBe('do this.')
  })

  test('every class is exported by @replaykit/core/errors', () => {
    for (const Class of Object.values(ERROR_CLASSES)) {
      expect((publicErrors as Record<string, unknown>)[Class.name]).toBe(Class)
    }
  })
})

describe('in the packages', () => {
  test.each(ERROR_CODES)('%s is raised somewhere by its class', (code) => {
    const name = ERROR_CLASSES[code].name
    const raisers = FILES.filter(({ text }) => new RegExp(`new ${name}\\(`).test(text)).map(({ file }) => file)
    expect(raisers, `no \`new ${name}(\` in packages/*/src: remove ${code} or raise it`).not.toEqual([])
  })

  test('nothing builds a bare ReplayKitError or an untyped [ReplayKit] error', () => {
    const bare = FILES.filter(({ text }) => /new ReplayKitError\(/.test(text)).map(({ file }) => file)
    expect(bare).toEqual([])
    const untyped = FILES.filter(({ text }) => /new Error\(\s*[`'"]\[ReplayKit\]/.test(text)).map(({ file }) => file)
    // @note block-network's childRefusal is source text run in child processes (no imports there):
    // it carries the family's name and RPK_NETWORK_BLOCKED by hand.
    expect(untyped).toEqual([join('core', 'src', 'engine', 'block-network.ts')])
  })
})
