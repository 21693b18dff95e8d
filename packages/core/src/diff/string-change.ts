/**
 * The changed part of two long or multi-line strings, for the printed report.
 *
 * @note Cutting both sides to their first characters hides a change at
 * character 590 of a system prompt behind two identical lines. These helpers
 * show a window around the first difference instead, with how many characters
 * were left out on each side, and a line diff for multi-line text. Both texts
 * are redacted in full before any cut: half a key no longer looks like one.
 */
import { redactPrinted } from '../redact/printed.js'

/** Characters of unchanged text shown on each side of the change. */
export const CONTEXT_CHARS = 40
/** Characters of the changed middle shown per side before it is cut. */
export const MAX_CHANGED_CHARS = 80
/** Unchanged lines shown around a line diff. */
export const CONTEXT_LINES = 2
/** Changed lines shown per side before "… N more lines". */
export const MAX_CHANGED_LINES = 12

/** True when two strings need the windowed form: either is longer than `max` or spans lines. */
export function needsWindow(expected: unknown, actual: unknown, max: number): boolean {
  if (typeof expected !== 'string' || typeof actual !== 'string') return false
  return (
    expected.includes('\n') ||
    actual.includes('\n') ||
    JSON.stringify(expected).length > max ||
    JSON.stringify(actual).length > max
  )
}

/** Length of the common prefix and of the common suffix that does not overlap it. */
function commonEnds<T>(a: ArrayLike<T>, b: ArrayLike<T>): { prefix: number; suffix: number } {
  const shorter = Math.min(a.length, b.length)
  let prefix = 0
  while (prefix < shorter && a[prefix] === b[prefix]) prefix++
  let suffix = 0
  while (suffix < shorter - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++
  return { prefix, suffix }
}

/** Moves an index off the low half of a surrogate pair, so a cut never splits a character. */
function onCharBoundary(text: string, index: number): number {
  const code = text.charCodeAt(index)
  return index > 0 && index < text.length && code >= 0xdc00 && code <= 0xdfff ? index - 1 : index
}

function leftOut(count: number, side: 'before' | 'after'): string {
  if (count === 0) return ''
  const text = `…${count} char${count === 1 ? '' : 's'}…`
  return side === 'before' ? `${text} ` : ` ${text}`
}

/**
 * One side of a character window: `…590 chars… "…text around the change…" …12 chars…`,
 * the shown part JSON-escaped (quotes, newlines), the counts saying what was left out.
 */
function windowSide(text: string, prefix: number, suffix: number): string {
  const start = onCharBoundary(text, Math.max(0, prefix - CONTEXT_CHARS))
  const changed = Math.min(text.length - suffix - prefix, MAX_CHANGED_CHARS)
  const end = onCharBoundary(text, Math.min(text.length, prefix + changed + CONTEXT_CHARS))
  return `${leftOut(start, 'before')}${JSON.stringify(text.slice(start, end))}${leftOut(text.length - end, 'after')}`
}

/**
 * The two sides of a character window around the first difference, redacted.
 *
 * @example charWindow('a'.repeat(600) + 'x', 'a'.repeat(600) + 'y')
 * // { at: 601, expected: '…560 chars… "aaaa…aaax"', actual: '…560 chars… "aaaa…aaay"' }
 */
export function charWindow(expected: string, actual: string): { at: number; expected: string; actual: string } {
  const a = redactPrinted(expected)
  const b = redactPrinted(actual)
  const { prefix, suffix } = commonEnds(a, b)
  return { at: prefix + 1, expected: windowSide(a, prefix, suffix), actual: windowSide(b, prefix, suffix) }
}

/** A line of a line diff: JSON-escaped without its quotes, long lines cut at the end. */
function lineText(line: string): string {
  const text = JSON.stringify(line).slice(1, -1)
  return text.length > MAX_CHANGED_CHARS + 2 * CONTEXT_CHARS
    ? `${text.slice(0, MAX_CHANGED_CHARS + 2 * CONTEXT_CHARS)}…`
    : text
}

/** A diff line: the marker, then the line; `paint` colours it. */
export interface DiffLine {
  mark: ' ' | '-' | '+' | '…'
  text: string
}

/**
 * A line diff of two multi-line strings, redacted: the changed block (from the first
 * changed line to the last) with unchanged lines around it and a note of the lines left
 * out. A single changed line on each side shows as a character window, so a change deep
 * in a long line stays visible.
 */
export function lineDiff(expected: string, actual: string): { at: number; lines: DiffLine[] } {
  const a = redactPrinted(expected).split('\n')
  const b = redactPrinted(actual).split('\n')
  const { prefix, suffix } = commonEnds(a, b)
  const lines: DiffLine[] = []
  const from = Math.max(0, prefix - CONTEXT_LINES)
  if (from > 0) lines.push({ mark: '…', text: `${from} unchanged line${from === 1 ? '' : 's'}` })
  for (const line of a.slice(from, prefix)) lines.push({ mark: ' ', text: lineText(line) })
  const removed = a.slice(prefix, a.length - suffix)
  const added = b.slice(prefix, b.length - suffix)
  if (removed.length === 1 && added.length === 1) {
    const window = charWindow(removed[0] as string, added[0] as string)
    lines.push({ mark: '-', text: window.expected }, { mark: '+', text: window.actual })
  } else {
    lines.push(...changedLines(removed, '-'), ...changedLines(added, '+'))
  }
  const to = Math.min(a.length, a.length - suffix + CONTEXT_LINES)
  for (const line of a.slice(a.length - suffix, to)) lines.push({ mark: ' ', text: lineText(line) })
  if (a.length - to > 0)
    lines.push({ mark: '…', text: `${a.length - to} unchanged line${a.length - to === 1 ? '' : 's'}` })
  return { at: prefix + 1, lines }
}

function changedLines(lines: string[], mark: '-' | '+'): DiffLine[] {
  const shown: DiffLine[] = lines.slice(0, MAX_CHANGED_LINES).map((line) => ({ mark, text: lineText(line) }))
  const more = lines.length - shown.length
  if (more > 0)
    shown.push({ mark: '…', text: `${more} more ${mark === '-' ? 'removed' : 'added'} line${more === 1 ? '' : 's'}` })
  return shown
}
