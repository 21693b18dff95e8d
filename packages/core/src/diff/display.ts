/**
 * Helpers that turn divergence facts into short, readable text: one-line
 * values and paths relative to the body they are in.
 */
import type { JsonValue } from '../artifact/types.js'
import { redactPrinted } from '../redact/printed.js'
import type { Divergence } from './types.js'

/** Where a divergence's path points, for readers: a request or response body, a step, the outcome, the draws. */
export type PathLocation = 'request body' | 'response body' | 'step' | 'outcome' | 'drawn values'

const BODY_PREFIXES: ReadonlyArray<[string, PathLocation]> = [
  ['$.request.body.json', 'request body'],
  ['$.response.body.json', 'response body'],
]

/**
 * The path as a reader wants it: relative to the JSON body when it points into
 * one (`$.request.body.json.messages[0].content` → `$.messages[0].content` in the
 * request body), otherwise as it is.
 */
export function relativePath(divergence: Pick<Divergence, 'kind' | 'path'>): { where: PathLocation; path: string } {
  if (divergence.kind === 'outcome') return { where: 'outcome', path: divergence.path }
  if (divergence.kind === 'drawn') return { where: 'drawn values', path: divergence.path }
  for (const [prefix, where] of BODY_PREFIXES) {
    const rest = divergence.path.slice(prefix.length)
    if (divergence.path.startsWith(prefix) && (rest === '' || rest[0] === '.' || rest[0] === '[')) {
      return { where, path: `$${rest}` }
    }
  }
  return { where: 'step', path: divergence.path }
}

/**
 * A value on one line, at most `max` characters: JSON (strings quoted, newlines
 * escaped), cut in the middle of long values with an ellipsis. Secrets are
 * replaced before the cut: half a key no longer looks like one.
 */
export function shortValue(value: JsonValue | undefined, max = 120): string {
  if (value === undefined) return '(absent)'
  const text = redactPrinted(JSON.stringify(value))
  if (text.length <= max) return text
  return `${text.slice(0, max - 1)}…`
}

/** "1 step", "3 steps". */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`
}
