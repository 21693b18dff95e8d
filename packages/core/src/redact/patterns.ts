/**
 * Secret patterns, after gitleaks' rules, loosened to catch test keys too.
 * Used twice: to redact bodies and stream events before anything is stored,
 * and to scan every artifact right before it is written (a hit refuses the write).
 */
export interface SecretPattern {
  /** Short name used in placeholders and messages: never the secret itself. */
  name: string
  pattern: RegExp
}

/**
 * @note Every pattern runs in linear time on any input (test/redact/linear-time.test.ts: 1 MB
 * adversarial inputs under 100 ms each). A pattern whose first part is an open-ended run of a
 * character class, followed by something that may be missing, starts at a run's first character
 * only (a look-behind for the class): otherwise a 1 MB run of `eyJ` is scanned again from each
 * of its positions, which is quadratic. Runs between fixed parts exclude the characters of the
 * next fixed part, so backtracking never crosses them.
 */
export const SECRET_PATTERNS: readonly SecretPattern[] = [
  { name: 'anthropic-key', pattern: /sk-ant-[a-z]{1,16}\d{2}-[A-Za-z0-9_-]{20,}/g },
  { name: 'openai-key', pattern: /sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g },
  { name: 'google-api-key', pattern: /AIza[\w-]{35}/g },
  // @note 20 characters at least: a file named `pat-ya29.test.ts` is not a token.
  { name: 'google-oauth-token', pattern: /ya29\.[\w-]{20,}/g },
  { name: 'github-pat', pattern: /github_pat_\w{82}/g },
  { name: 'github-token', pattern: /gh[pousr]_[0-9A-Za-z]{36}/g },
  { name: 'aws-access-key', pattern: /(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}/g },
  {
    name: 'jwt',
    pattern: /(?<![A-Za-z0-9])ey[A-Za-z0-9]{17,}\.ey[A-Za-z0-9/\\_-]{17,}\.[A-Za-z0-9/\\_-]{10,}={0,2}/g,
  },
  { name: 'huggingface-token', pattern: /hf_[A-Za-z]{34}/g },
  { name: 'slack-token', pattern: /xox[baprs]-[0-9A-Za-z-]{10,}/g },
  { name: 'stripe-key', pattern: /(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{20,}/g },
  { name: 'gitlab-token', pattern: /glpat-[\w-]{20,}/g },
  { name: 'npm-token', pattern: /npm_[A-Za-z0-9]{36}/g },
  {
    // @note The body is base64 (and, in JSON text, `\n` escapes) up to the END line, which may be
    // missing: a lazy `[\s\S]*?` up to END rescans the rest of the text from every BEGIN.
    name: 'private-key',
    pattern: /-----BEGIN[ A-Z]{0,40}PRIVATE KEY-----[A-Za-z0-9+/=\s\\:,.]*(?:-----END[ A-Z]{0,40}PRIVATE KEY-----)?/g,
  },
  // Credentials before a host in any text (an error message quoting a URL): `https://[REDACTED:userinfo]@host`,
  // as a URL redacts to. The scheme is a bounded look-behind: checked in constant time at each position.
  {
    name: 'userinfo',
    pattern: /(?<=(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/)[^\s/?#@:"'<>[\]]+:[^\s/?#@"'<>[\]]+(?=@)/g,
  },
  // Bearer tokens last: the placeholder of an earlier rule must not be caught again.
  { name: 'bearer-token', pattern: /Bearer\s+(?!\[REDACTED)[A-Za-z0-9._~+/=-]{8,}/g },
]

const BUILT_IN: WeakSet<RegExp> = new WeakSet(SECRET_PATTERNS.map(({ pattern }) => pattern))

/** The first secret found in a text, by pattern name and offset; undefined when clean. */
export function findSecret(
  text: string,
  patterns: readonly SecretPattern[] = SECRET_PATTERNS,
): { name: string; index: number } | undefined {
  for (const { name, pattern } of patterns) {
    pattern.lastIndex = 0
    const match = pattern.exec(text)
    if (match) return { name, index: match.index }
  }
  return undefined
}

/**
 * The stable text that replaces a redacted value. It names the rule, never any
 * part of the value, so a request redacts to the same bytes whatever the real
 * key was, and matching treats requests with different keys as equal.
 *
 * @example placeholder('authorization') // '[REDACTED:authorization]'
 */
export function placeholder(rule: string): string {
  return `[REDACTED:${rule}]`
}

/** Matches placeholders, so that a pattern hit inside one (a user pattern like /REDACTED/) is left alone. */
const PLACEHOLDER = /\[REDACTED:[^\]\s]*\]/g

/** Passes over a text at most: one replacement can expose another match (a token right after a bearer). */
const MAX_PASSES = 4

/**
 * Replace every match of every pattern in a text by its placeholder
 * (`[REDACTED:openai-key]`). Idempotent: already redacted text is unchanged.
 *
 * @example redactSecrets('key sk-proj-abcdefghijklmnopqrstuv') // 'key [REDACTED:openai-key]'
 */
export function redactSecrets(text: string, patterns: readonly SecretPattern[] = SECRET_PATTERNS): string {
  if (!mayMatch(text, patterns)) return text
  let out = text
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    // One joined scan says whether another pass can change anything (mostly: no).
    if (pass > 0 && !mayMatch(out, patterns)) break
    const before = out
    for (const { name, pattern } of patterns) out = replaceOutsidePlaceholders(out, pattern, name)
    if (out === before) break
  }
  return out
}

/** Scans first and builds nothing when the pattern does not occur (most strings of a large body). */
function replaceOutsidePlaceholders(text: string, pattern: RegExp, name: string): string {
  pattern.lastIndex = 0
  if (!pattern.test(text)) return text
  pattern.lastIndex = 0
  const replacement = placeholder(name)
  // A built-in pattern never matches inside a placeholder (none starts with `[` or a letter of `REDACTED`).
  if (BUILT_IN.has(pattern)) return text.replace(pattern, replacement)
  const kept = placeholderRanges(text)
  // Matches come in offset order, and so do the ranges: one pointer walks both (no rescans).
  let at = 0
  return text.replace(pattern, (match: string, ...rest: unknown[]) => {
    if (match === '') return match
    if (kept.length === 0) return replacement
    // The offset comes before the whole text, and before the groups object when there are named groups.
    const offset = (typeof rest[rest.length - 1] === 'string' ? rest[rest.length - 2] : rest[rest.length - 3]) as number
    while (at < kept.length && (kept[at] as [number, number])[1] <= offset) at++
    const range = kept[at]
    const inside = range !== undefined && offset >= range[0] && offset + match.length <= range[1]
    return inside ? match : replacement
  })
}

/**
 * Patterns joined into one alternation where that means the same (flags `g` alone, no
 * back-references or named groups, which the join would renumber), and the others: most
 * strings of a body match none, and one scan says so several times faster than one per pattern.
 */
interface Prefilter {
  joined: RegExp | undefined
  others: readonly SecretPattern[]
}

const prefilters = new WeakMap<readonly SecretPattern[], Prefilter>()

/** False when no pattern matches anywhere in the text (true may still replace nothing). */
function mayMatch(text: string, patterns: readonly SecretPattern[]): boolean {
  let prefilter = prefilters.get(patterns)
  if (!prefilter) {
    prefilter = prefilterOf(patterns)
    prefilters.set(patterns, prefilter)
  }
  if (prefilter.joined) {
    prefilter.joined.lastIndex = 0
    if (prefilter.joined.test(text)) return true
  }
  for (const { pattern } of prefilter.others) {
    pattern.lastIndex = 0
    if (pattern.test(text)) return true
  }
  return false
}

function prefilterOf(patterns: readonly SecretPattern[]): Prefilter {
  const joinable = (pattern: RegExp) => pattern.flags === 'g' && !/\\[1-9k]|\(\?<(?![=!])/.test(pattern.source)
  const sources = patterns.filter(({ pattern }) => joinable(pattern)).map(({ pattern }) => `(?:${pattern.source})`)
  let joined: RegExp | undefined
  try {
    joined = sources.length > 1 ? new RegExp(sources.join('|'), 'g') : undefined
  } catch {
    joined = undefined
  }
  return { joined, others: joined ? patterns.filter(({ pattern }) => !joinable(pattern)) : patterns }
}

function placeholderRanges(text: string): [number, number][] {
  if (!text.includes('[REDACTED:')) return []
  const ranges: [number, number][] = []
  for (const match of text.matchAll(PLACEHOLDER)) ranges.push([match.index, match.index + match[0].length])
  return ranges
}
