/**
 * The one owner of process-wide state: every copy of @replaykit/core in a
 * process (the ESM and the CommonJS build, or two installed versions) finds
 * the same runtime on one `globalThis` slot, and keeps there everything a
 * request or a patch needs from another copy: the captures, the interception,
 * the determinism patches, live requests awaiting their answer, the network
 * blocker and its permits.
 *
 * Parts that patch the process (interception, determinism, the blocker) are
 * held by owner, as @mswjs/interceptors does: installed by the first holder,
 * counted per owner, removed (after an optional idle time) when the last one
 * lets go, whichever copy installed it.
 *
 * @note Before this, half of that state was module-scoped: a capture of the
 * second copy was answered by the first copy's handler, which did not know
 * the second copy's live requests, and a request that got no answer was left
 * out of the run (two-copies e2e test).
 * @see https://github.com/mswjs/interceptors/blob/main/src/interceptor.ts
 */
import { RuntimeConflictError } from '../../errors/classes.js'
import type { ReplayKitError } from '../../errors.js'
import { VERSION } from '../../version.js'

/**
 * The shape of the slot. Bump it on any change a copy of another version
 * could misread: copies of different runtime versions refuse to share.
 */
export const RUNTIME_VERSION = 1

const SLOT = Symbol.for('replaykit.runtime')

/** A process-wide patch, installed once and held by owners. */
interface Part {
  holders: Map<string, number>
  undo: (() => void) | undefined
  timer: ReturnType<typeof setTimeout> | undefined
}

interface RuntimeSlot {
  readonly version: number
  /** The package that created it: named in a version conflict. */
  readonly createdBy: string
  readonly parts: Map<string, Part>
  readonly shared: Map<string, unknown>
}

type Registry = typeof globalThis & { [SLOT]?: RuntimeSlot }

function slot(): RuntimeSlot {
  const registry = globalThis as Registry
  const found = registry[SLOT]
  if (found) {
    if (found.version !== RUNTIME_VERSION) throw runtimeConflict(found)
    return found
  }
  const created: RuntimeSlot = {
    version: RUNTIME_VERSION,
    createdBy: `@replaykit/core@${VERSION}`,
    parts: new Map(),
    shared: new Map(),
  }
  // Not enumerable: it is nobody's business who lists globalThis (a test runner's leak check).
  Object.defineProperty(registry, SLOT, { value: created, configurable: true, enumerable: false, writable: false })
  return created
}

function runtimeConflict(found: { version?: unknown; createdBy?: unknown }): ReplayKitError {
  return new RuntimeConflictError(
    `Failed to share the process with another copy of ReplayKit: ${String(found.createdBy ?? 'a copy')} keeps its state in runtime version ${String(found.version)}, this copy (@replaykit/core@${VERSION}) in version ${RUNTIME_VERSION}. Two copies that cannot share it would let requests pass each other's captures.`,
    {
      hint: 'install one version of @replaykit/core (npm ls @replaykit/core shows which packages bring which; align @replaykit/vitest, @replaykit/jest and @replaykit/cli with it).',
    },
  )
}

/**
 * A process-wide value by name, created by the first copy that asks.
 *
 * @example const late = shared('late-problems', (): ReplayProblem[] => [])
 */
export function shared<T>(name: string, create: () => T): T {
  const values = slot().shared
  if (!values.has(name)) values.set(name, create())
  return values.get(name) as T
}

export interface HoldOptions {
  /**
   * Keep the part this long after its last holder lets go: a holder that comes
   * meanwhile takes it over (captures run back to back; see linger.ts).
   */
  lingerMs?: number
}

/**
 * Hold a process-wide part: `install` runs if nobody holds it yet, and its
 * undo once every holder of every owner has let go (after `lingerMs`).
 * Returns the release of this hold (a second call does nothing).
 *
 * @example
 * const release = hold('interception', COPY, () => installInterception())
 */
export function hold(name: string, owner: string, install: () => () => void, options: HoldOptions = {}): () => void {
  const parts = slot().parts
  let part = parts.get(name)
  if (!part) {
    part = { holders: new Map(), undo: undefined, timer: undefined }
    parts.set(name, part)
  }
  const mine = part
  if (mine.timer) clearTimeout(mine.timer)
  mine.timer = undefined
  mine.undo ??= install()
  mine.holders.set(owner, (mine.holders.get(owner) ?? 0) + 1)
  let released = false
  return () => {
    if (released) return
    released = true
    const left = (mine.holders.get(owner) ?? 1) - 1
    if (left > 0) mine.holders.set(owner, left)
    else mine.holders.delete(owner)
    if (mine.holders.size > 0) return
    const remove = (): void => {
      mine.timer = undefined
      if (mine.holders.size > 0 || !mine.undo) return
      const undo = mine.undo
      mine.undo = undefined
      undo()
    }
    if (options.lingerMs === undefined) remove()
    // @note Unref'd: a lingering part never keeps a process (or a test worker) alive.
    else mine.timer = setTimeout(remove, options.lingerMs).unref()
  }
}

/** Remove a part now, whoever holds it (their later releases do nothing): for a part replaced by another. */
export function drop(name: string): void {
  const parts = slot().parts
  const part = parts.get(name)
  if (!part) return
  parts.delete(name)
  if (part.timer) clearTimeout(part.timer)
  part.holders.clear()
  const undo = part.undo
  part.undo = undefined
  undo?.()
}

/** Whether a part is installed now (held, or lingering). */
export function isHeld(name: string): boolean {
  return slot().parts.get(name)?.undo !== undefined
}

/**
 * This copy of the package, as an owner of holds: unique per module instance.
 *
 * @note Numbered from the runtime, not drawn at random: a copy may load inside
 * a capture, where `Math.random` is on the capture's tape.
 */
let copy: string | undefined
export function copyId(): string {
  copy ??= `@replaykit/core@${VERSION}#${++shared('copies', () => ({ count: 0 })).count}`
  return copy
}
