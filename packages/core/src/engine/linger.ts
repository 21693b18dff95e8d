/**
 * Keeping the process-wide patches (interception, time and random sources) in
 * place for a moment after the last capture ends.
 *
 * Tests run captures back to back: installing MSW's interceptor and the
 * determinism patches for each and removing them after cost more than the
 * replay itself (a third of a replayed request in `npm run bench`). Between
 * captures the patches are inert: requests outside a capture pass through
 * untouched and draws go to the real sources. So the last release only starts
 * an idle timer, and a capture starting meanwhile takes the patches over;
 * once idle, everything is removed and nothing is left behind.
 *
 * @note The timer is unref'd: it never keeps a process (or a test worker) alive.
 */
import { copyId, hold, shared } from './runtime/runtime.js'

/** How long the patches stay after the last capture: longer than the gap between two tests. */
export const LINGER_MS = 250

/**
 * Wrap an `install()` that returns its undo into one whose undo is deferred.
 *
 * @example
 * const hold = lingering(() => installInterception())
 * const release = hold() // installs, or takes over the lingering installation
 * release()              // removes it after LINGER_MS unless another hold() comes first
 */
export function lingering(install: () => () => void, idleMs: number = LINGER_MS): () => () => void {
  // A part of its own in the runtime, which counts the holds and keeps the idle timer.
  const name = `lingering#${++shared('lingerings', () => ({ count: 0 })).count}`
  return () => hold(name, copyId(), install, { lingerMs: idleMs })
}
