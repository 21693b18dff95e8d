/**
 * Draw attribution guesses how deep to look (callers.ts `DrawSite`): a draw
 * that needed the deep look in one capture (a helper library's frames all
 * the four nearest) gets it at once in the next, one stack capture instead
 * of two, and the verdict stays that of the first deciding frame.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import { DrawTape, installDeterminism } from '../../src/determinism/index.js'
import { loadModuleFile } from './module-file.js'

type Drawer = () => unknown

let folder: string
let fromApp: { draw: Drawer; drawDirect: Drawer }
let fromMsw: { draw: Drawer }

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'rpk-draw-site-'))
  const modules = join(folder, 'node_modules')
  // A helper whose draw is five of its own frames deep: the near look (four frames) cannot decide.
  const deep = pathToFileURL(join(modules, 'deep-lib', 'index.mjs')).href
  await loadModuleFile(
    join(modules, 'deep-lib', 'index.mjs'),
    [
      'function e() { return Date.now() }',
      'function d() { return e() + 0 }',
      'function c() { return d() + 0 }',
      'function b() { return c() + 0 }',
      'export function a() { return b() + 0 }',
      '',
    ].join('\n'),
  )
  fromApp = await loadModuleFile(
    join(folder, 'app', 'user.mjs'),
    `import { a } from ${JSON.stringify(deep)}\nexport function draw() { return a() }\nexport function drawDirect() { return Date.now() }\n`,
  )
  fromMsw = await loadModuleFile(
    join(modules, 'msw', 'lib', 'x.mjs'),
    `import { a } from ${JSON.stringify(deep)}\nexport function draw() { return a() }\n`,
  )
})

afterAll(() => {
  rmSync(folder, { recursive: true, force: true })
})

let release: (() => void) | undefined
let active: DrawTape | undefined
afterEach(() => {
  release?.()
  release = undefined
  active = undefined
})

/** Run `fn` as one capture's code (its own tape), counting the stack captures its draws cost. */
function capture(fn: () => void): { tape: DrawTape; stackCaptures: number } {
  release ??= installDeterminism(() => active)
  const tape = new DrawTape('record')
  const real = Error.captureStackTrace
  let stackCaptures = 0
  Error.captureStackTrace = (target, cut) => {
    stackCaptures++
    real(target, cut)
  }
  active = tape
  try {
    fn()
  } finally {
    active = undefined
    Error.captureStackTrace = real
  }
  return { tape, stackCaptures }
}

test('a draw that needed the deep look gets it at once in the next capture: one stack capture, not two', () => {
  capture(() => fromApp.drawDirect()) // the first classification of core's own folder
  const first = capture(() => fromApp.draw())
  expect(first.stackCaptures).toBe(2)
  expect(first.tape.drawn).toHaveLength(1)
  const again = capture(() => fromApp.draw())
  expect(again.stackCaptures).toBe(1)
  expect(again.tape.drawn).toHaveLength(1)
})

test('the guess never changes a verdict: the same draw of a helper is the machinery from MSW and the code from the app', () => {
  for (let round = 0; round < 3; round++) {
    expect(capture(() => fromMsw.draw()).tape.drawn).toEqual([])
    expect(capture(() => fromApp.draw()).tape.drawn).toHaveLength(1)
    // A near draw at the same place (ordinal) after deep ones is still decided by its near frames.
    expect(capture(() => fromApp.drawDirect()).tape.drawn).toHaveLength(1)
  }
})
