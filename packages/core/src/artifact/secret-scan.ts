/**
 * The secret scan of a whole artifact before it is written.
 *
 * `findSecret` runs each pattern over the text in turn, which for a 17 MB file
 * is fifteen passes. A file almost never holds a secret, so one pass with all
 * patterns joined in one alternation answers "clean" first; it matches exactly
 * where some pattern matches, so only on a hit is `findSecret` asked which
 * pattern came first, for the same answer as before.
 */
import { findSecret, SECRET_PATTERNS, type SecretPattern } from '../redact/patterns.js'

let joined: RegExp | null | undefined

/** The first secret in the text, by pattern name and offset (as `findSecret`); undefined when clean. */
export function scanForSecret(text: string): { name: string; index: number } | undefined {
  joined ??= joinPatterns(SECRET_PATTERNS)
  if (joined && !joined.test(text)) return undefined
  return findSecret(text)
}

/**
 * One regular expression matching wherever one of the patterns matches, or null
 * when joining could change their meaning: different flags, or groups whose
 * numbers would shift.
 */
export function joinPatterns(patterns: readonly SecretPattern[]): RegExp | null {
  const flags = new Set(patterns.map(({ pattern }) => pattern.flags.replace(/[gy]/g, '')))
  const grouped = patterns.some(({ pattern }) => /\\[1-9]|\\k<|\(\?<[^=!]/.test(pattern.source))
  if (flags.size !== 1 || grouped) return null
  return new RegExp(patterns.map(({ pattern }) => `(?:${pattern.source})`).join('|'), [...flags][0])
}
