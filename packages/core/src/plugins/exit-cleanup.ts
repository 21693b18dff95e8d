/**
 * Running the plugins' cleanup when the worker exits. A worker's end is the
 * runner's business (Vitest stops its threads and forks with a message and
 * then terminates or SIGTERMs them, so Node's own exit events never run there;
 * a Jest worker or an in-band run ends by emptying its event loop), so the
 * runner package passes the hook to register with. Registered once per
 * process, whichever copy of core asks first, since every copy shares the
 * active plugins through the runtime.
 */
import { shared } from '../engine/runtime/runtime.js'
import { unloadPlugins } from './active.js'

/** Something that calls back when the worker ends (and awaits what the callback returns). */
export type OnWorkerExit = (cleanup: () => Promise<void>) => void

/**
 * Have the active plugins' cleanup run when the worker ends, once per process.
 * Default: on the process's `beforeExit` (the event loop emptied; the cleanup may be async).
 *
 * @example unloadPluginsOnExit((cleanup) => workerState.onCleanup(cleanup))
 */
export function unloadPluginsOnExit(onExit: OnWorkerExit = onBeforeExit): void {
  const state = shared('plugins-exit', () => ({ registered: false }))
  if (state.registered) return
  state.registered = true
  onExit(() => unloadPlugins())
}

function onBeforeExit(cleanup: () => Promise<void>): void {
  // @note `once`: the cleanup's own async work empties the loop again and would emit beforeExit again.
  process.once('beforeExit', () => {
    cleanup().catch((error: unknown) => {
      process.exitCode ||= 1
      console.error(error)
    })
  })
}
