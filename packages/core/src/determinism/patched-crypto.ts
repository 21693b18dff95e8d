/**
 * Stand-ins for `randomUUID` and `getRandomValues`, for both the Web Crypto
 * object (`globalThis.crypto`) and the `node:crypto` module. Each calls the
 * original with the same `this` and arguments, so errors (a wrong receiver, a
 * Float32Array, more than 65536 bytes) are exactly the original's.
 */
import { Buffer } from 'node:buffer'
import type { Patched, TapeLike } from './shared-state.js'

type Tape = (patched: Patched) => TapeLike | undefined

const isString = (value: number | string): boolean => typeof value === 'string'

export function makePatchedRandomUUID(original: Patched, tapeFor: Tape): Patched {
  function randomUUID(this: unknown, ...args: unknown[]): unknown {
    const tape = tapeFor(randomUUID)
    if (!tape) return original.apply(this, args as never[])
    return tape.next('crypto.randomUUID', () => original.apply(this, args as never[]) as string, isString)
  }
  return randomUUID
}

export function makePatchedGetRandomValues(original: Patched, tapeFor: Tape): Patched {
  function getRandomValues(this: unknown, ...args: unknown[]): unknown {
    const tape = tapeFor(getRandomValues)
    // Always the original first: it validates the argument and fills it with real bytes.
    const result = original.apply(this, args as never[])
    if (!tape) return result
    const target = args[0] as ArrayBufferView
    const bytes = new Uint8Array(target.buffer, target.byteOffset, target.byteLength)
    const value = tape.next(
      'crypto.getRandomValues',
      () => Buffer.from(bytes).toString('base64'),
      (recorded) => typeof recorded === 'string' && Buffer.byteLength(recorded, 'base64') === bytes.byteLength,
    )
    // Replayed bytes go into the caller's array; for a real value this rewrites the same bytes.
    bytes.set(Buffer.from(value as string, 'base64'))
    return result
  }
  return getRandomValues
}
