/**
 * Own time from the thread meter read at the run's two ends: the run's CPU and
 * idle time less the network intervals' wall time, but for the time the thread
 * sat on a run queue in them (a loaded machine does not pass for slower code).
 * No interval takes a meter reading: Linux moves a thread's CPU time in
 * scheduler ticks, and per request it read as 0 or 4 ms.
 */
import { expect, test } from 'vitest'
import { runTiming } from '../../src/engine/build-run.js'
import type { CaptureContext, LiveExchange } from '../../src/engine/context.js'

function contextWith(exchanges: Partial<LiveExchange>[]): CaptureContext {
  return {
    exchanges,
    clientWaits: [],
    // 10 ms of CPU and 30 ms idle over the run.
    meter0: { cpuMs: 0, idleMs: 0 },
    meter1: { cpuMs: 10, idleMs: 30 },
  } as unknown as CaptureContext
}

test("the run's CPU and idle time less the intervals' wall time is own time", () => {
  // Wall 100 ms less 50 of network leaves 50, but the thread ran or idled 40 ms, none of them queued in
  // the 50 ms exchange: nothing is left for the code.
  const context = contextWith([{ startMs: 10, endMs: 60, queuedAtStart: 0, queuedAtEnd: 0 }])
  expect(runTiming(context, 100)).toEqual({ totalMs: 100, networkMs: 50, ownMs: 0 })
})

test('time on a run queue inside an interval is not taken from own time', () => {
  // 30 of the exchange's 50 ms the thread waited for a CPU: it ran or idled 20 ms of it, so 40 - 20 = 20 is own.
  const context = contextWith([{ startMs: 10, endMs: 60, queuedAtStart: 5, queuedAtEnd: 35 }])
  expect(runTiming(context, 100)).toEqual({ totalMs: 100, networkMs: 50, ownMs: 20 })
})

test('without run-queue readings, all of an interval is taken; own time never exceeds the wall time left', () => {
  expect(runTiming(contextWith([{ startMs: 10, endMs: 30 }]), 100)).toEqual({ totalMs: 100, networkMs: 20, ownMs: 20 })
  const idle = { ...contextWith([{ startMs: 10, endMs: 30 }]), meter1: { cpuMs: 10, idleMs: 90 } } as CaptureContext
  expect(runTiming(idle, 100)).toEqual({ totalMs: 100, networkMs: 20, ownMs: 80 })
})
