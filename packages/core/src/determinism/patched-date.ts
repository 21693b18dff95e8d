/**
 * A stand-in for the `Date` constructor: `new Date()` and `Date()` with no
 * arguments draw the current time from the tape; everything else is the
 * original. Instances are real Dates (`instanceof Date` holds both ways, with
 * either constructor) and the static methods are the original functions.
 */
import type { Patched, TapeLike } from './shared-state.js'

const isNumber = (value: number | string): boolean => typeof value === 'number'

/**
 * Build the stand-in. `now` is the original `Date.now`; `tapeFor(patched)`
 * says where a draw goes (undefined: behave as the original).
 */
export function makePatchedDate(
  Original: DateConstructor,
  now: () => number,
  tapeFor: (patched: Patched) => TapeLike | undefined,
): DateConstructor {
  function PatchedDate(this: unknown, ...args: unknown[]): unknown {
    if (new.target === undefined) {
      // Called as a function: a string of the current time, whatever the arguments.
      const tape = tapeFor(PatchedDate)
      if (!tape) return Reflect.apply(Original, this, args)
      return new Original(tape.next('Date', now, isNumber) as number).toString()
    }
    if (args.length === 0) {
      const tape = tapeFor(PatchedDate)
      if (tape) return Reflect.construct(Original, [tape.next('Date', now, isNumber)], new.target)
    }
    // new.target keeps subclasses (`class D extends Date`) working.
    return Reflect.construct(Original, args, new.target)
  }
  // Same statics (now, parse, UTC), name and length; the same prototype, so instanceof and subclassing work.
  for (const key of Reflect.ownKeys(Original)) {
    if (key === 'prototype') continue
    const descriptor = Object.getOwnPropertyDescriptor(Original, key)
    if (descriptor) Object.defineProperty(PatchedDate, key, descriptor)
  }
  Object.defineProperty(PatchedDate, 'prototype', { value: Original.prototype, writable: false })
  Object.setPrototypeOf(PatchedDate, Object.getPrototypeOf(Original))
  return PatchedDate as unknown as DateConstructor
}
