/**
 * Own time of a run whose exchanges no HTTP client published (a strict replay
 * of `fetch`, answered above undici's connections, publishes no client wait):
 * the exchange's own thread-meter readings time it, as a client wait's do,
 * instead of the whole run falling back to wall time less run-queue time.
 */
import { expect, test } from 'vitest'
import { runTiming } from '../../src/engine/build-run.js'
import type { CaptureContext, LiveExchange } from '../../src/engine/context.js'

function contextWith(exchanges: Partial<LiveExchange>[]): CaptureContext {
  return {
    exchanges,
    clientWaits: [],
    // 10 ms of CPU and 60 ms idle over the run.
    meter0: { cpuMs: 0, idleMs: 0 },
    meter1: { cpuMs: 10, idleMs: 60 },
  } as unknown as CaptureContext
}

test('an exchange no client published is timed by its thread-meter readings, like a client wait', () => {
  const context = contextWith([
    {
      startMs: 10,
      endMs: 60,
      // The 50 ms exchange: 1 ms of CPU, 49 idle (waiting on the answer).
      meterAtStart: { cpuMs: 2, idleMs: 5 },
      meterAtEnd: { cpuMs: 3, idleMs: 54 },
    },
  ])
  // Wall 100 ms less 50 of network is 50; the meter says the code itself ran 70 - 50 = 20.
  expect(runTiming(context, 100)).toEqual({ totalMs: 100, networkMs: 50, ownMs: 20 })
})

test('without the readings (an exchange from a transport that has none), own time is the wall time left', () => {
  const context = contextWith([{ startMs: 10, endMs: 60 }])
  expect(runTiming(context, 100)).toEqual({ totalMs: 100, networkMs: 50, ownMs: 50 })
})
