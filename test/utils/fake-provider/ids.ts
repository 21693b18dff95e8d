/**
 * Deterministic ids, timestamps and token counts: the same request gets the same answer on
 * every run and machine, so a recording and a live call compare equal.
 */
import { createHash } from 'node:crypto'

/** Seconds: a fixed `created` time (2025-11-23) instead of the clock. */
export const CREATED = 1_763_900_000

/**
 * What makes one call's ids and `created` time: fixed by default (the same request gets the same
 * ids), or fresh per call with `freshIds` (a salt and a later time each call), as real providers do.
 */
export interface CallStamp {
  salt: string
  created: number
}

export const FIXED_STAMP: CallStamp = { salt: '', created: CREATED }

/** A short hex digest of the request body (and the call's salt), for ids: always 24 characters. */
export function digest(value: unknown, salt = ''): string {
  return createHash('sha256')
    .update((JSON.stringify(value) ?? '') + salt)
    .digest('hex')
    .slice(0, 24)
}

/** About four characters a token, at least one. */
export function tokens(value: unknown): number {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '')
  return Math.max(1, Math.ceil(text.length / 4))
}

/** Text in stream-sized pieces: split after each space, so the pieces join back exactly. */
export function pieces(text: string): string[] {
  return text === '' ? [] : text.split(/(?<= )/)
}

/** A JSON string in fragments of at most `size` characters, as providers stream arguments. */
export function fragments(text: string, size = 8): string[] {
  const out: string[] = []
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size))
  return out
}
