/**
 * The secret scan of a whole artifact before it is written.
 *
 * `findSecret` runs each pattern over the text in turn and finds the first
 * match of the first pattern. A file almost never holds a secret, so "is there
 * any match at all" is asked first, and only on a hit is `findSecret` asked
 * which pattern came first, for the same answer as before.
 *
 * For a long text that first question is asked one pattern at a time, not
 * with the patterns joined in one alternation: V8 finds a pattern's fixed start
 * (`sk-`, `AIza`, …) with a fast string search, and an alternation whose
 * branches start differently (one of them with a look-behind) tries every
 * branch at every position. For the 7 MB of a 10,000-step recording: 15 ms one
 * by one, 70 ms joined. The look-behind pattern is tested only where a looser
 * pattern with a fixed start matches (PREFILTERS). A short text (most strings
 * the store screens) is asked the joined alternation: one call, not sixteen.
 */
import { findSecret, SECRET_PATTERNS, type SecretPattern } from '../redact/patterns.js'

/**
 * For a pattern that starts with a look-behind, a pattern with a fixed start that matches
 * wherever it does (it is the same match, with the look-behind's `://` taken in and the
 * look-ahead's `@`): text where this one finds nothing holds no match of the pattern.
 */
export const PREFILTERS: Readonly<Record<string, RegExp>> = {
  userinfo: /:\/\/[^\s/?#@:"'<>[\]]+:[^\s/?#@"'<>[\]]+@/,
}

interface Tester {
  pattern: RegExp
  prefilter?: RegExp
}

let testers: Tester[] | undefined
let joined: RegExp | null | undefined

/**
 * Below this length the joined alternation is the cheaper question (one call instead of 16: the
 * store screens every string of a run alone, most of them short); above it, each pattern alone.
 */
const JOINED_BELOW = 512

/** True when some pattern matches anywhere in the text. */
export function anySecretPattern(text: string): boolean {
  if (text.length < JOINED_BELOW) {
    joined ??= joinPatterns(SECRET_PATTERNS)
    if (joined) return joined.test(text)
  }
  testers ??= testersOf(SECRET_PATTERNS)
  for (const { pattern, prefilter } of testers) {
    if (prefilter && !prefilter.test(text)) continue
    if (pattern.test(text)) return true
  }
  return false
}

/** Each pattern without `g`/`y` (so `test` keeps no state between texts), with its prefilter. */
function testersOf(patterns: readonly SecretPattern[]): Tester[] {
  return patterns.map(({ name, pattern }) => {
    const tester: Tester = { pattern: new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')) }
    const prefilter = PREFILTERS[name]
    if (prefilter) tester.prefilter = prefilter
    return tester
  })
}

/** The first secret in the text, by pattern name and offset (as `findSecret`); undefined when clean. */
export function scanForSecret(text: string): { name: string; index: number } | undefined {
  return anySecretPattern(text) ? findSecret(text) : undefined
}

/**
 * False when no secret pattern matches anywhere in the text.
 *
 * @note The writer asks this of the compact text it hashes instead of scanning the indented
 * file text (twice the size): every pattern matches inside one JSON string (none can cross a
 * quote or start after structural whitespace), and both texts hold the same strings escaped the
 * same way. On a match the writer scans the file text as before, for the same answer.
 */
export function mayHoldSecret(text: string): boolean {
  return anySecretPattern(text)
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
  if (!anySecretPattern(text)) return undefined
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
