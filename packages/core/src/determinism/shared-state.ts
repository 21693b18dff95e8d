/**
 * Process-wide state of the determinism patches, kept in the engine's runtime
 * (engine/runtime/runtime.ts) so that two copies of ReplayKit in one process (its ESM and
 * CommonJS builds, or two versions) share one set of patches instead of
 * wrapping each other's.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { DeterminismSource } from '../artifact/types.js'
import { shared } from '../engine/runtime/runtime.js'
import { type DrawSite, drawnByMachinery } from './callers.js'

/** A patched function, as the frame to cut the stack at. */
export type Patched = (...args: never[]) => unknown

/** What the patched globals need from a tape (a `DrawTape`, possibly from another copy of the package). */
export interface TapeLike {
  next(
    source: DeterminismSource,
    real: () => number | string,
    fits: (value: number | string) => boolean,
  ): number | string
}

/** The patches on one global object, and who uses them. */
export interface Installation {
  users: { currentTape: () => TapeLike | undefined }[]
}

interface SharedState {
  /** The users of the patches of each global object (the patches themselves are a held part: install.ts). */
  installations: Map<object, Installation>
  /** Set inside `withoutRecording`. */
  quiet: AsyncLocalStorage<boolean>
  /** True while a draw is being decided: draws made meanwhile (by a tape getter) are never recorded. */
  busy: boolean
}

export function sharedState(): SharedState {
  return shared(
    'determinism',
    (): SharedState => ({
      installations: new Map(),
      quiet: new AsyncLocalStorage(),
      busy: false,
    }),
  )
}

/**
 * Run `fn` (and everything it starts, sync or async) without recording or
 * replaying the time and random values it draws: for ReplayKit's own code
 * inside a capture, whose draws differ between recording and replaying.
 *
 * @example const id = withoutRecording(() => crypto.randomUUID())
 */
export function withoutRecording<T>(fn: () => T): T {
  return sharedState().quiet.run(true, fn)
}

/**
 * The tape a draw made through `patched` goes to, or undefined when it must
 * behave as the original: outside any capture, inside `withoutRecording`, or
 * drawn by the interception machinery.
 */
export function tapeForDraw(installation: Installation, patched: Patched): TapeLike | undefined {
  const state = sharedState()
  if (state.busy) return undefined
  state.busy = true
  try {
    let tape: TapeLike | undefined
    for (const user of installation.users) {
      tape = user.currentTape()
      if (tape) break
    }
    // Cheapest checks first: the stack is only looked at inside a capture.
    if (!tape || state.quiet.getStore() === true || drawnByMachinery(patched, siteOf(tape, patched))) return undefined
    return tape
  } finally {
    state.busy = false
  }
}

/** Per patched function, the draw ordinals that needed the deep look last time (callers.ts `DrawSite`). */
const deepSites = new WeakMap<Patched, Set<number>>()
/** Per capture's tape and patched function, how many draws were attributed so far. */
const ordinals = new WeakMap<TapeLike, Map<Patched, number>>()

/** Draws past this many in one capture are not guessed for: the sets stay small whatever a capture draws. */
const GUESSED_DRAWS = 64

function siteOf(tape: TapeLike, patched: Patched): DrawSite | undefined {
  let counts = ordinals.get(tape)
  if (!counts) {
    counts = new Map()
    ordinals.set(tape, counts)
  }
  const ordinal = counts.get(patched) ?? 0
  if (ordinal >= GUESSED_DRAWS) return undefined
  counts.set(patched, ordinal + 1)
  let deep = deepSites.get(patched)
  if (!deep) {
    deep = new Set()
    deepSites.set(patched, deep)
  }
  return { ordinal, deep }
}
