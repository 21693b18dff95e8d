/**
 * The terminal form of a first-divergence report:
 *
 * ```
 * First divergence at step 1 of 2 (model.request, openai chat.completions, gpt-4o-mini) — section: prompt
 *   request body $.messages[0].content: "weather in Oslo?" → "weather in Bergen?"
 *   field diff (- expected, + actual):
 *     - $.request.body.json.messages[0].content: "weather in Oslo?"
 *     + $.request.body.json.messages[0].content: "weather in Bergen?"
 *   0 later steps differ
 * ```
 *
 * Colours only when the caller says so: it knows about NO_COLOR, --no-color and TTYs.
 */
import { picocolors } from '../lazy-deps.js'
import { redactPrinted } from '../redact/printed.js'
import { plural, relativePath, shortValue } from './display.js'
import { charWindow, lineDiff, needsWindow } from './string-change.js'
import type { Divergence, FieldChange, RunComparison } from './types.js'

export interface FormatDivergenceOptions {
  /** ANSI colours (picocolors). */
  color: boolean
  /** A first line, e.g. the run's key. */
  title?: string
  /** Name of the recorded side in the report; default `expected`. */
  expectedLabel?: string
  /** Name of the new side in the report; default `actual`. */
  actualLabel?: string
  /** Field changes shown before "… N more"; default 8. */
  maxChanges?: number
}

type Colors = ReturnType<typeof picocolors.createColors>

const INDENT = '  '
/** Printed values longer than this show as a window around the change (string-change.ts). */
const MAX_VALUE = 120

/** Format a comparison for a terminal. Ends without a newline. Secret patterns never reach the text. */
export function formatDivergence(comparison: RunComparison, options: FormatDivergenceOptions): string {
  return redactPrinted(formatUnredacted(comparison, options))
}

function formatUnredacted(comparison: RunComparison, options: FormatDivergenceOptions): string {
  const c = picocolors.createColors(options.color)
  const labels = { expected: options.expectedLabel ?? 'expected', actual: options.actualLabel ?? 'actual' }
  const lines: string[] = []
  if (options.title) lines.push(c.bold(options.title))
  const first = comparison.first
  if (!first) {
    lines.push(c.green(`No divergence: ${plural(comparison.expectedSteps, 'step')} and the outcome are equal.`))
    return lines.join('\n')
  }
  lines.push(header(first, comparison, c))
  lines.push(...valueLines(first, comparison, labels, c))
  lines.push(...changeLines(first.changes, first.omittedChanges ?? 0, options.maxChanges ?? 8, labels, c))
  const later = laterLine(first, comparison, labels)
  if (later) lines.push(INDENT + later)
  return lines.join('\n')
}

function header(first: Divergence, comparison: RunComparison, c: Colors): string {
  const section = `section: ${c.yellow(first.section)}`
  const detail = first.detail ? ` (${first.detail})` : ''
  if (first.kind === 'outcome') return `${c.bold(c.red('First divergence in the outcome'))}${detail} — ${section}`
  if (first.kind === 'drawn') return `${c.bold(c.red('First divergence in the drawn values'))}${detail} — ${section}`
  const of = first.reason === 'extra' ? comparison.actualSteps : comparison.expectedSteps
  const where = c.bold(c.red(`First divergence at step ${first.step} of ${of}`))
  return `${where} (${first.kind}${first.detail ? `, ${first.detail}` : ''}) — ${section}`
}

function valueLines(
  first: Divergence,
  comparison: RunComparison,
  labels: { expected: string; actual: string },
  c: Colors,
): string[] {
  if (first.reason === 'missing' && first.kind !== 'drawn') {
    return [
      `${INDENT}${c.red('missing')}: ${labels.actual} ended after ${plural(comparison.actualSteps, 'step')}; ${labels.expected} has this step`,
      `${INDENT}${c.red('-')} ${shortValue(first.expected)}`,
    ]
  }
  if (first.reason === 'extra' && first.kind !== 'drawn') {
    return [
      `${INDENT}${c.green('extra')}: ${labels.actual} made this step; ${labels.expected} has ${plural(comparison.expectedSteps, 'step')}`,
      `${INDENT}${c.green('+')} ${shortValue(first.actual)}`,
    ]
  }
  const { where, path } = relativePath(first)
  const location = where === 'request body' || where === 'response body' ? `${where} ` : ''
  if (needsWindow(first.expected, first.actual, MAX_VALUE)) {
    return [
      ...textChangeLines(
        `${INDENT}${location}${c.cyan(path)}`,
        first.expected as string,
        first.actual as string,
        labels,
        c,
      ),
    ]
  }
  return [
    `${INDENT}${location}${c.cyan(path)}: ${c.red(shortValue(first.expected))} → ${c.green(shortValue(first.actual))}`,
  ]
}

/** A long or multi-line string change: a window around the first difference, or a line diff. */
function textChangeLines(
  lead: string,
  expected: string,
  actual: string,
  labels: { expected: string; actual: string },
  c: Colors,
): string[] {
  if (expected.includes('\n') || actual.includes('\n')) {
    const diff = lineDiff(expected, actual)
    const counts = `${plural(expected.split('\n').length, 'line')} → ${actual.split('\n').length}`
    const lines = [
      `${lead}: text differs from line ${diff.at} (${counts}; ${c.red(`- ${labels.expected}`)}, ${c.green(`+ ${labels.actual}`)}):`,
    ]
    for (const line of diff.lines) {
      const paint = line.mark === '-' ? c.red : line.mark === '+' ? c.green : c.dim
      lines.push(`${INDENT}${INDENT}${paint(`${line.mark} ${line.text}`)}`)
    }
    return lines
  }
  const window = charWindow(expected, actual)
  return [
    `${lead}: text differs from character ${window.at} (${plural(expected.length, 'char')} → ${actual.length}):`,
    `${INDENT}${INDENT}${c.red(`- ${window.expected}`)}`,
    `${INDENT}${INDENT}${c.green(`+ ${window.actual}`)}`,
  ]
}

/** A field's old or new value: a window around the change for long strings, else the short form. */
function changedValues(change: FieldChange): { old: string; new: string } {
  if (change.type === 'UPDATE' && needsWindow(change.oldValue, change.value, MAX_VALUE)) {
    const window = charWindow(change.oldValue as string, change.value as string)
    return { old: window.expected, new: window.actual }
  }
  return { old: shortValue(change.oldValue, MAX_VALUE), new: shortValue(change.value, MAX_VALUE) }
}

function changeLines(
  changes: FieldChange[],
  omitted: number,
  max: number,
  labels: { expected: string; actual: string },
  c: Colors,
): string[] {
  if (changes.length === 0) return []
  const lines = [`${INDENT}field diff (${c.red(`- ${labels.expected}`)}, ${c.green(`+ ${labels.actual}`)}):`]
  for (const change of changes.slice(0, max)) {
    const values = changedValues(change)
    if (change.type !== 'ADD') lines.push(`${INDENT}${INDENT}${c.red(`- ${change.path}: ${values.old}`)}`)
    if (change.type !== 'REMOVE') lines.push(`${INDENT}${INDENT}${c.green(`+ ${change.path}: ${values.new}`)}`)
  }
  const more = Math.max(0, changes.length - max) + omitted
  if (more > 0) lines.push(`${INDENT}${INDENT}${c.dim(`… ${plural(more, 'more field change')}`)}`)
  return lines
}

/** "2 later steps differ; the outcome differs too", or what else differs after the first. */
function laterLine(
  first: Divergence,
  comparison: RunComparison,
  labels: { expected: string; actual: string },
): string | undefined {
  if (first.kind === 'drawn') return undefined
  if (first.kind === 'outcome') return comparison.differences > 1 ? 'the drawn values differ too' : undefined
  const laterSteps = comparison.differences - 1 - (comparison.outcomeEqual ? 0 : 1)
  let line = `${plural(laterSteps, 'later step')} ${laterSteps === 1 ? 'differs' : 'differ'}`
  if (!comparison.outcomeEqual) line += '; the outcome differs too'
  if (comparison.expectedSteps !== comparison.actualSteps && first.reason === 'changed') {
    line += ` (${labels.actual} has ${plural(comparison.actualSteps, 'step')}, ${labels.expected} ${comparison.expectedSteps})`
  }
  return line
}
