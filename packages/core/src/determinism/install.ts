/**
 * `installDeterminism(currentTape)`: patch the time and random sources of a
 * global object so that draws made inside a capture go to its tape.
 *
 * Patched: `Date.now`, `new Date()` / `Date()`, `Math.random`,
 * `crypto.randomUUID` / `crypto.getRandomValues` (Web Crypto), and
 * `randomUUID` / `getRandomValues` of `node:crypto`. Every patch registers its
 * undo; the last user to leave restores the exact original functions.
 *
 * The patches of each global object are a part held in the engine's runtime
 * (`hold`, counted per copy of core), so the ESM and CommonJS copies in one
 * process patch once and restore once, whichever copy came first or left last.
 */
import { copyId, drop, hold, shared } from '../engine/runtime/runtime.js'
import type { DrawTape } from './draw-tape.js'
import { makePatchedGetRandomValues, makePatchedRandomUUID } from './patched-crypto.js'
import { makePatchedDate } from './patched-date.js'
import { type Installation, type Patched, sharedState, type TapeLike, tapeForDraw } from './shared-state.js'

const isNumber = (value: number | string): boolean => typeof value === 'number'

/**
 * Patch the globals of `target` (once: later calls add a user) and return the
 * function that removes this user; the patches go when the last user does.
 * `currentTape()` is asked on every draw: it returns the tape of the capture
 * the draw runs in (the engine keeps them in AsyncLocalStorage), or undefined
 * outside any capture, where everything behaves exactly as the originals.
 *
 * @param target the global object to patch; another realm's (a Jest sandbox) can be given.
 * @example
 * const release = installDeterminism(() => storage.getStore()?.tape)
 * try { await storage.run({ tape }, fn) } finally { release() }
 */
export function installDeterminism(
  currentTape: () => DrawTape | TapeLike | undefined,
  target: typeof globalThis = globalThis,
): () => void {
  const state = sharedState()
  const name = partName(target)
  let installation = state.installations.get(target)
  if (!installation) {
    installation = { users: [] }
    state.installations.set(target, installation)
  }
  const mine = installation
  const user = { currentTape }
  mine.users.push(user)
  const release = hold(name, copyId(), () => {
    const restore = patchGlobals(target, mine)
    return () => {
      restore()
      state.installations.delete(target)
      // The part of a realm that is gone (a Jest test file's sandbox) is not kept in the runtime.
      drop(name)
    }
  })
  let released = false
  return () => {
    if (released) return
    released = true
    mine.users.splice(mine.users.indexOf(user), 1)
    release()
  }
}

/** The runtime part of the patches of `target`: one per global object (the process's, or a sandbox realm's). */
function partName(target: object): string {
  // @note Its own runtime value, not a field of the shared state: a copy of core that shares the runtime knows that shape.
  const numbers = shared('determinism-targets', () => ({ ids: new WeakMap<object, number>(), count: 0 }))
  let id = numbers.ids.get(target)
  if (id === undefined) {
    id = ++numbers.count
    numbers.ids.set(target, id)
  }
  return `determinism-patches ${id}`
}

function patchGlobals(target: typeof globalThis, installation: Installation): () => void {
  const undo: (() => void)[] = []
  const tapeFor = (patched: Patched): TapeLike | undefined => tapeForDraw(installation, patched)

  const realRandom = target.Math.random
  const patchedRandom = function random(): number {
    const tape = tapeFor(patchedRandom)
    return tape ? (tape.next('Math.random', realRandom, isNumber) as number) : realRandom()
  }
  replace(target.Math, 'random', patchedRandom, undo)

  const OriginalDate = target.Date
  const realNow = OriginalDate.now
  const patchedNow = function now(): number {
    const tape = tapeFor(patchedNow)
    return tape ? (tape.next('Date.now', realNow, isNumber) as number) : realNow()
  }
  // On the original constructor too: code that kept a reference to Date still draws through the tape.
  replace(OriginalDate, 'now', patchedNow, undo)
  replace(target, 'Date', makePatchedDate(OriginalDate, realNow, tapeFor), undo)

  patchCrypto(target.crypto, tapeFor, undo)
  // node:crypto is one module per process: patched along with the process's own global object. Its
  // getRandomValues cannot be replaced (a fixed getter) but calls Web Crypto's, which is patched.
  if (target === globalThis) patchCrypto(nodeCrypto(), tapeFor, undo)
  syncBuiltinExports()

  return () => {
    for (const step of undo.reverse()) step()
    syncBuiltinExports()
  }
}

function patchCrypto(
  crypto: object | undefined,
  tapeFor: (patched: Patched) => TapeLike | undefined,
  undo: (() => void)[],
): void {
  if (!crypto) return
  const { randomUUID, getRandomValues } = crypto as { randomUUID?: unknown; getRandomValues?: unknown }
  if (typeof randomUUID === 'function') {
    replace(crypto, 'randomUUID', makePatchedRandomUUID(randomUUID as Patched, tapeFor), undo)
  }
  if (typeof getRandomValues === 'function') {
    replace(crypto, 'getRandomValues', makePatchedGetRandomValues(getRandomValues as Patched, tapeFor), undo)
  }
}

/**
 * Set an own property, keeping its attributes, and register the exact undo:
 * the old descriptor back, or the own property deleted when there was none
 * (Web Crypto's methods live on its prototype).
 */
function replace(object: object, key: string, value: unknown, undo: (() => void)[]): void {
  const own = Object.getOwnPropertyDescriptor(object, key)
  const seen = own ?? inheritedDescriptor(object, key)
  try {
    Object.defineProperty(object, key, {
      value,
      writable: seen?.writable ?? true,
      enumerable: seen?.enumerable ?? false,
      configurable: true,
    })
  } catch {
    return // frozen or non-configurable: left alone, draws through it are simply not recorded
  }
  undo.push(() => {
    if (own) Object.defineProperty(object, key, own)
    else Reflect.deleteProperty(object, key)
  })
}

function inheritedDescriptor(object: object, key: string): PropertyDescriptor | undefined {
  for (let proto = Object.getPrototypeOf(object); proto; proto = Object.getPrototypeOf(proto)) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, key)
    if (descriptor) return descriptor
  }
  return undefined
}

function nodeCrypto(): object | undefined {
  return process.getBuiltinModule?.('node:crypto') as object | undefined
}

/** ESM named imports of built-ins (`import { randomUUID } from 'node:crypto'`) follow the module object only when synced. */
function syncBuiltinExports(): void {
  process.getBuiltinModule?.('node:module')?.syncBuiltinESMExports()
}
