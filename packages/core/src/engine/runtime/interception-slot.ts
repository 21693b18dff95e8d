/**
 * What other parts ask of the installed interception, kept in the runtime so
 * that any copy of core reaches the one installed by any other, and without
 * loading MSW (the network blocker uses it, and a capture that needs MSW asks for it here).
 */
import { shared } from './runtime.js'

export interface InterceptionControls {
  /**
   * Take the patches off, run `below` (which patches the same functions:
   * blockNetwork's `Socket.prototype.connect`), and put them back on top: a
   * capture's request must reach the handler before a blocker below it.
   */
  reapply?: (below: () => void) => void
  /** Re-subscribe ours after any listener that subscribed since (a user's `server.listen()`). */
  putLast?: () => void
  /**
   * Whether another MSW server (a user's) listens besides ours: then every
   * request goes through MSW, where their handlers answer first (fetch-dispatcher.ts).
   */
  othersListening?: () => boolean
  /**
   * Load and install MSW now, if it is not yet (interception.ts): set while the interception is
   * installed, by whichever copy of core installed it.
   */
  installMsw?: () => void
}

/** The controls of the installed interception (empty while none is installed). */
export function interceptionControls(): InterceptionControls {
  return shared('interception', (): InterceptionControls => ({}))
}

/**
 * Run `below` (a patch of the functions the interception patches too) under
 * the interception when it is installed; else just run it.
 */
export function patchBelowInterception(below: () => void): void {
  const reapply = interceptionControls().reapply
  if (reapply) reapply(below)
  else below()
}
