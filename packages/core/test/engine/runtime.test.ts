/**
 * The runtime: one owner of process-wide state on one versioned `globalThis`
 * slot. Holds are counted by owner (copies of core) and a slot of another
 * runtime version is refused with a typed error.
 */
import { afterEach, expect, test, vi } from 'vitest'
import { drop, hold, isHeld, RUNTIME_VERSION, shared } from '../../src/engine/runtime/runtime.js'
import { isReplayKitError } from '../../src/errors.js'
import { runCapture } from '../../src/public/engine.js'

const SLOT = Symbol.for('replaykit.runtime')

afterEach(() => {
  vi.useRealTimers()
})

function counted(name: string) {
  const calls = { installs: 0, removals: 0 }
  const install = () => {
    calls.installs++
    return () => {
      calls.removals++
    }
  }
  return { calls, install, name }
}

test('a part is installed once for every owner and removed when the last owner lets go', () => {
  const { calls, install, name } = counted('test-part-owners')
  const a1 = hold(name, 'copy-a', install)
  const b1 = hold(name, 'copy-b', install)
  const a2 = hold(name, 'copy-a', install)
  expect(calls).toEqual({ installs: 1, removals: 0 })
  a1()
  a1() // a second release of the same hold is ignored
  a2()
  expect(isHeld(name)).toBe(true)
  b1()
  expect(calls).toEqual({ installs: 1, removals: 1 })
  expect(isHeld(name)).toBe(false)
})

test('a lingering part is taken over by an owner that comes within the idle time', () => {
  vi.useFakeTimers()
  const { calls, install, name } = counted('test-part-linger')
  hold(name, 'copy-a', install, { lingerMs: 100 })()
  vi.advanceTimersByTime(50)
  const b = hold(name, 'copy-b', install, { lingerMs: 100 })
  vi.advanceTimersByTime(200)
  expect(calls).toEqual({ installs: 1, removals: 0 })
  b()
  vi.advanceTimersByTime(100)
  expect(calls).toEqual({ installs: 1, removals: 1 })
})

test("a dropped part is removed at once; its holders' later releases do nothing to its successor", () => {
  const { calls, install, name } = counted('test-part-drop')
  const old = hold(name, 'copy-a', install)
  drop(name)
  expect(calls).toEqual({ installs: 1, removals: 1 })
  const next = hold(name, 'copy-b', install)
  old()
  expect(isHeld(name)).toBe(true)
  next()
  expect(calls).toEqual({ installs: 2, removals: 2 })
})

test('shared values are created once', () => {
  const first = shared('test-shared', () => ({ n: 1 }))
  expect(shared('test-shared', () => ({ n: 2 }))).toBe(first)
})

test('a runtime of another version in the process is a typed error, and nothing is captured', async () => {
  const registry = globalThis as Record<symbol, unknown>
  const ours = Object.getOwnPropertyDescriptor(registry, SLOT)
  Reflect.deleteProperty(registry, SLOT)
  Object.defineProperty(registry, SLOT, {
    value: { version: RUNTIME_VERSION + 1, createdBy: '@replaykit/core@9.0.0' },
    configurable: true,
  })
  let ran = false
  try {
    const error = await runCapture(() => {
      ran = true
    }).catch((caught: unknown) => caught)
    expect(isReplayKitError(error) && error.code).toBe('RPK_RUNTIME_CONFLICT')
    expect(String(error)).toContain('@replaykit/core@9.0.0')
    expect(String(error)).toContain('npm ls @replaykit/core')
    expect(ran).toBe(false)
  } finally {
    Reflect.deleteProperty(registry, SLOT)
    if (ours) Object.defineProperty(registry, SLOT, ours)
  }
})
