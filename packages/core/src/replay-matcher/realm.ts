/**
 * Time and random values for code that runs in another realm than the engine:
 * a Jest test runs in a `vm` context with its own `Date` and `Math`, which the
 * engine's own patches (on the process's global object) do not reach.
 */
import { installDeterminism } from '../determinism/index.js'
import { openContext } from '../engine/context.js'

/**
 * Route the time and random sources of `target` (a sandbox's global object) to
 * the tape of whichever capture the draw happens in; outside captures they
 * behave as the originals. Returns the undo.
 */
export function installRealmDeterminism(target: typeof globalThis): () => void {
  return installDeterminism(() => openContext()?.tape, target)
}
