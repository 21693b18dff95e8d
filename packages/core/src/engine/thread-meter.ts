/**
 * What the test's thread did with its time, for own time: CPU time it ran
 * (`process.threadCpuUsage`) and time its event loop sat idle waiting for
 * something to happen (`eventLoopUtilization().idle`: a timer, a sleep, a file
 * read, a child process). Undefined where Node lacks thread CPU time (before
 * 22.19/23.9): own time then falls back to wall time less run-queue time.
 *
 * @note Own time is measured as CPU time plus idle time outside the clients'
 * waits, not as wall time. On a loaded machine (2 cores, load 15–25) the same
 * unchanged capture's wall-clock own time ranged 0–114 ms even with the
 * run-queue time taken out: the thread also sits blocked, neither running nor
 * idle in the loop (waiting on V8's GC and compiler threads, themselves
 * starved, and on page faults). CPU plus idle ranged 10–56 ms over the same
 * runs, and a 300 ms sleep still counts in full (idle). What it does not
 * count: a synchronous block of the thread (`execSync`, `Atomics.wait`).
 * @note Read when a run starts and when `fn` returns, never per request: on
 * Linux a thread's CPU time moves in scheduler ticks (4 ms here), and a
 * reading misses what the thread ran since its last tick or sleep (build-run.ts
 * runTiming). `process.cpuUsage()` is exact but counts every thread of the
 * process: other Vitest workers, GC and compiler threads.
 */
import { performance } from 'node:perf_hooks'

export interface ThreadMeter {
  cpuMs: number
  idleMs: number
}

type ThreadCpuUsage = () => { user: number; system: number }

const threadCpuUsage = (process as { threadCpuUsage?: ThreadCpuUsage }).threadCpuUsage

export function readMeter(): ThreadMeter | undefined {
  if (typeof threadCpuUsage !== 'function') return undefined
  const cpu = threadCpuUsage.call(process)
  return { cpuMs: (cpu.user + cpu.system) / 1000, idleMs: performance.eventLoopUtilization().idle }
}

/** CPU plus idle time between two readings, in ms. */
export function metered(from: ThreadMeter, to: ThreadMeter): number {
  return Math.max(0, to.cpuMs - from.cpuMs) + Math.max(0, to.idleMs - from.idleMs)
}
