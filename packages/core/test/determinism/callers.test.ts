import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { buildRpk } from '../../src/artifact/write.js'
import { ownFolderOf } from '../../src/determinism/callers.js'
import { DrawTape, installDeterminism, withoutRecording } from '../../src/determinism/index.js'
import { loadModuleFile } from './module-file.js'

type Drawer = () => unknown

/**
 * Modules that live where the machinery does (node_modules/msw, node_modules/@mswjs),
 * a third-party helper, and plain code: draws are told apart by the file of the calling frame.
 */
let folder: string
let fromMsw: { draw: Drawer; drawThroughHelper: Drawer }
let fromInterceptors: { draw: Drawer }
let fromHelper: { draw: Drawer }
let fromApp: { draw: Drawer }

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'rpk-callers-'))
  const modules = join(folder, 'node_modules')
  fromHelper = await loadModuleFile(
    join(modules, 'tiny-id', 'index.mjs'),
    'export function draw() { return Math.random().toString(16).slice(2) + Date.now() }\n',
  )
  fromMsw = await loadModuleFile(
    join(modules, 'msw', 'lib', 'x.mjs'),
    [
      `import { draw as helper } from ${JSON.stringify(pathToFileURL(join(modules, 'tiny-id', 'index.mjs')).href)}`,
      'export function draw() { return [crypto.randomUUID(), Math.random(), Date.now(), new Date().getTime()] }',
      'export function drawThroughHelper() { return helper() }',
      '',
    ].join('\n'),
  )
  fromInterceptors = await loadModuleFile(
    join(modules, '@mswjs', 'interceptors', 'lib', 'id.mjs'),
    'export function draw() { return Math.random().toString(16).slice(2) }\n',
  )
  fromApp = await loadModuleFile(join(folder, 'app', 'user.mjs'), 'export function draw() { return Math.random() }\n')
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

function within<T>(tape: DrawTape, fn: () => T): T {
  release ??= installDeterminism(() => active)
  active = tape
  try {
    return fn()
  } finally {
    active = undefined
  }
}

describe('draws made by the machinery are not recorded', () => {
  test('from files under node_modules/msw and node_modules/@mswjs', () => {
    const tape = new DrawTape('record')
    within(tape, () => {
      fromMsw.draw()
      fromInterceptors.draw()
    })
    expect(tape.drawn).toEqual([])
  })

  test('through a helper library called by msw, but recorded when the code under test calls it', () => {
    const tape = new DrawTape('record')
    within(tape, () => fromMsw.drawThroughHelper())
    expect(tape.drawn).toEqual([])
    within(tape, () => fromHelper.draw())
    expect(tape.drawn.map((draw) => draw.source)).toEqual(['Math.random', 'Date.now'])
  })

  test('code outside node_modules is recorded, and machinery draws do not shift the replay', () => {
    const recording = new DrawTape('record')
    const recorded = within(recording, () => [fromApp.draw(), fromMsw.draw(), fromApp.draw()])
    expect(recording.drawn).toHaveLength(2)
    const replay = new DrawTape('replay', recording.drawn)
    const replayed = within(replay, () => [fromApp.draw(), fromMsw.draw(), fromMsw.draw(), fromApp.draw()])
    expect(replayed[0]).toBe(recorded[0])
    expect(replayed[3]).toBe(recorded[2])
    expect(replay.problems()).toBeUndefined()
  })

  test('a builtin between the draw and the code (Array.prototype.map) does not hide the code', () => {
    const tape = new DrawTape('record')
    within(tape, () => [1, 2].map(Math.random))
    expect(tape.drawn.map((draw) => draw.source)).toEqual(['Math.random', 'Math.random'])
  })

  test("from ReplayKit core's own code", () => {
    const tape = new DrawTape('record')
    // buildRpk stamps the file with `new Date()` (a default parameter, evaluated in write.ts).
    within(tape, () => buildRpk({ runs: {} }))
    expect(tape.drawn).toEqual([])
  })

  test('inside withoutRecording, sync or async', async () => {
    const tape = new DrawTape('record')
    release ??= installDeterminism(() => active)
    active = tape
    try {
      withoutRecording(() => Math.random())
      await withoutRecording(async () => {
        await Promise.resolve()
        Date.now()
      })
      Math.random()
    } finally {
      active = undefined
    }
    expect(tape.drawn.map((draw) => draw.source)).toEqual(['Math.random'])
  })
})

test('per-draw cost (logged, not asserted)', () => {
  const draws = 20_000
  const plain = measure(draws, () => Math.random())
  const tape = new DrawTape('record')
  release ??= installDeterminism(() => active)
  const outside = measure(draws, () => Math.random())
  active = tape
  const inside = measure(draws, () => Math.random())
  active = undefined
  console.log(
    `[determinism] per Math.random draw: original ${(plain * 1000).toFixed(3)} µs, ` +
      `patched outside a capture ${(outside * 1000).toFixed(3)} µs, recorded inside one ${(inside * 1000).toFixed(3)} µs`,
  )
  expect(tape.drawn).toHaveLength(draws)
})

function measure(count: number, fn: () => unknown): number {
  const start = performance.now()
  for (let i = 0; i < count; i++) fn()
  return (performance.now() - start) / count
}

describe("core's own folder, found from this module's file", () => {
  test('in the sources: the src folder', () => {
    expect(ownFolderOf('/repo/packages/core/src/determinism/callers.ts')).toBe('/repo/packages/core/src/')
  })

  // The build bundles every module into chunks (scripts/build-package.mjs): the determinism code
  // sits in dist/<format>/chunks/<name>-<hash>.js, not in a determinism folder.
  test.each([
    ['/repo/packages/core/dist/esm/chunks/capture-R4zPlmib.js'],
    ['/repo/packages/core/dist/cjs/chunks/capture-B7k3ow5c.js'],
    ['/repo/packages/core/dist/esm/public/engine.js'],
  ])('in a bundled build: the dist folder (%s)', (file) => {
    expect(ownFolderOf(file)).toBe('/repo/packages/core/dist/')
  })

  test('a file outside src/determinism and dist is not core', () => {
    expect(ownFolderOf('/repo/app/src/agent.ts')).toBeUndefined()
  })
})
