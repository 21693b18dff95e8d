/**
 * How long this thread has waited for a CPU while it could have run: the
 * second field of Linux's `/proc/thread-self/schedstat` (nanoseconds spent
 * runnable on a run queue), in ms. Undefined where it cannot be read (other
 * systems, a restricted /proc): own time is then plain wall time. Used for own
 * time only where Node has no thread CPU time (thread-meter.ts).
 *
 * @note Own time is wall time minus network. On a loaded machine (a 2-core
 * CI runner running other jobs) the wall time of the same code stretches by
 * whatever the scheduler withholds, differently in record and replay, and
 * unchanged code failed the slowdown gate at 2–4×. Time spent queued is not
 * the code's doing: it is left out of own time on both sides, while a sleep
 * or a slower loop (the thread idle or running) still counts in full.
 */
import { openSync, readSync } from 'node:fs'

const SCHEDSTAT = '/proc/thread-self/schedstat'
let readable = process.platform === 'linux'
// Read several times per request (hot path): the file is opened once per thread and re-read from
// offset 0, about a tenth of the cost of readFileSync's open/stat/read/close under load (bench/profile.mjs).
// /proc/thread-self resolves when opened, so each worker thread (its own module instance) opens its own.
let fd: number | undefined
const buffer = Buffer.alloc(256)
const SPACE = 0x20
const ZERO = 0x30

export function runQueueMs(): number | undefined {
  if (!readable) return undefined
  try {
    fd ??= openSync(SCHEDSTAT, 'r')
    const size = readSync(fd, buffer, 0, buffer.length, 0)
    const waited = secondField(buffer, size)
    if (waited !== undefined) return waited / 1e6
  } catch {
    // Not mounted, or not readable in this sandbox: stop trying.
  }
  readable = false
  return undefined
}

/**
 * The second space-separated field of `size` bytes of `bytes` as a number, read from the bytes:
 * no string or array made twice a request (about a quarter of a reading's cost in a loop here).
 */
export function secondField(bytes: Uint8Array, size: number): number | undefined {
  let at = bytes.indexOf(SPACE)
  if (at < 0 || at >= size) return undefined
  let value = 0
  let digits = 0
  for (at++; at < size; at++, digits++) {
    const digit = (bytes[at] as number) - ZERO
    if (digit < 0 || digit > 9) break
    value = value * 10 + digit
  }
  return digits > 0 ? value : undefined
}
