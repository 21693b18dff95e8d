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
 * False when no secret pattern matches anywhere in the text: one pass of the joined patterns.
 *
 * @note The writer asks this of the compact text it hashes instead of scanning the indented
 * file text (twice the size): every pattern matches inside one JSON string (none can cross a
 * quote or start after structural whitespace), and both texts hold the same strings escaped the
 * same way. On a match the writer scans the file text as before, for the same answer.
 */
export function mayHoldSecret(text: string): boolean {
  joined ??= joinPatterns(SECRET_PATTERNS)
  return joined ? joined.test(text) : findSecret(text) !== undefined
}

/**
 * The first secret in the text of a `.rpk` outside what ReplayKit writes itself: run keys and
 * run names (test names) and `meta.source` (the test file's path) are no secrets, so a test file
 * named `pat-ya29.test.ts` is never refused for its own name.
 *
 * @note Recognised by their lines in the canonical text (2-space indent, one member a line,
 * strings escaped so no line break is inside one): a run key opens an object at depth 2 of
 * `runs`, `"name"` at depth 3 is a run's name, `"source"` with a string at depth 2 is the source.
 */
export function scanRecordedText(text: string): { name: string; index: number } | undefined {
  joined ??= joinPatterns(SECRET_PATTERNS)
  if (joined && !joined.test(text)) return undefined
  const first = findSecret(text)
  if (!first || !OWN_LINE.test(lineAt(text, first.index))) return first
  // A name of ReplayKit's own looks like a token (rare): scan again with those lines blanked, in one pass.
  const blanked = text
    .split('\n')
    .map((line) => (OWN_LINE.test(line) ? '' : line))
    .join('\n')
  const found = findSecret(blanked)
  if (!found) return undefined
  // Blanking changed offsets, not line numbers: report the start of the same line in the real text.
  const line = blanked.slice(0, found.index).split('\n').length
  let index = 0
  for (let i = 1; i < line; i++) index = text.indexOf('\n', index) + 1
  return { name: found.name, index }
}

function lineAt(text: string, index: number): string {
  const start = text.lastIndexOf('\n', index) + 1
  const end = text.indexOf('\n', index)
  return text.slice(start, end < 0 ? text.length : end)
}

const OWN_LINE = /^(?: {4}"(?:[^"\\]|\\.)*": \{| {6}"name": "(?:[^"\\]|\\.)*",?| {4}"source": "(?:[^"\\]|\\.)*",?)$/

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
