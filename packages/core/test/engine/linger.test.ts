import { afterEach, expect, test, vi } from 'vitest'
import { lingering } from '../../src/engine/linger.js'

afterEach(() => {
  vi.useRealTimers()
})

function counted() {
  const calls = { installs: 0, removals: 0 }
  const hold = lingering(() => {
    calls.installs++
    return () => {
      calls.removals++
    }
  }, 100)
  return { calls, hold }
}

test('installs once for overlapping users and removes only after the idle time', () => {
  vi.useFakeTimers()
  const { calls, hold } = counted()
  const a = hold()
  const b = hold()
  a()
  b()
  b() // a second release of the same hold is ignored
  expect(calls).toEqual({ installs: 1, removals: 0 })
  vi.advanceTimersByTime(99)
  expect(calls.removals).toBe(0)
  vi.advanceTimersByTime(1)
  expect(calls).toEqual({ installs: 1, removals: 1 })
})

test('a hold within the idle time takes the installation over; the next idle period removes it', () => {
  vi.useFakeTimers()
  const { calls, hold } = counted()
  hold()()
  vi.advanceTimersByTime(50)
  const again = hold()
  vi.advanceTimersByTime(500)
  expect(calls).toEqual({ installs: 1, removals: 0 })
  again()
  vi.advanceTimersByTime(100)
  expect(calls).toEqual({ installs: 1, removals: 1 })
  hold()()
  expect(calls.installs).toBe(2)
})

test('time and random patches go once they have lingered; interception stays for late requests', async () => {
  const { runCapture } = await import('../../src/public/engine.js')
  const { LINGER_MS } = await import('../../src/engine/linger.js')
  const originals = { random: Math.random, now: Date.now, Date }
  await runCapture(() => Math.random(), { mode: 'record' })
  // In between captures the patches stay (inert): that is what saves reinstalling them.
  expect(Math.random).not.toBe(originals.random)
  await new Promise((resolve) => setTimeout(resolve, LINGER_MS + 50))
  expect({ random: Math.random, now: Date.now, Date }).toEqual(originals)
  // A capture's code may make requests at any later time: they must still reach the handler (late.ts).
  const { isHeld } = await import('../../src/engine/runtime/runtime.js')
  expect(isHeld('interception')).toBe(true)
  expect(isHeld('determinism')).toBe(false)
})
