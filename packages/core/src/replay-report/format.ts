/**
 * The printed forms of the replay report: `summary` (totals, failures,
 * obsolete entries, slowest runs) and `quiet` (failures only; nothing when
 * every run passed).
 */
import { picocolors } from '../lazy-deps.js'
import { redactPrinted } from '../redact/printed.js'
import { updateCommand } from '../store/update-state.js'
import type { ReplayEntry, ReplayReport } from './types.js'

export interface FormatReportOptions {
  format: 'summary' | 'quiet'
  color: boolean
}

type Colors = ReturnType<typeof picocolors.createColors>

const FAILED = new Set(['diverged', 'missing', 'slow'])

/**
 * The report as terminal lines (no trailing newline); empty in quiet form when nothing failed.
 * Secret patterns never reach the text (a failure message can quote a value).
 */
export function formatReport(report: ReplayReport, options: FormatReportOptions): string {
  return redactPrinted(formatUnredacted(report, options))
}

function formatUnredacted(report: ReplayReport, options: FormatReportOptions): string {
  const c = picocolors.createColors(options.color)
  const failures = report.runs.filter((run) => FAILED.has(run.status))
  const broken = report.files.filter((file) => file.error !== undefined)
  if (options.format === 'quiet' && failures.length === 0 && broken.length === 0) return ''
  // Captures without a single assertion and nothing obsolete: nothing worth a summary.
  const obsolete = report.files.some((file) => file.obsolete.length > 0 || file.removed.length > 0)
  const warnings = [...warningLines(report, c), ...orphanLines(report, c)]
  if (report.runs.length === 0 && broken.length === 0 && !obsolete && warnings.length === 0) return ''
  const lines = [headline(report, c)]
  for (const run of failures) lines.push(failureLine(run, c))
  for (const file of broken) lines.push(`  ${c.red('✗ not saved')} ${file.rpk}: ${file.error}`)
  if (options.format === 'summary') {
    lines.push(...obsoleteLines(report, c))
    lines.push(...liveLines(report, c))
    lines.push(...warnings)
    if (report.slowest.length > 0) lines.push(slowestLine(report, c))
  }
  return lines.join('\n')
}

function headline(report: ReplayReport, c: Colors): string {
  const t = report.totals
  const parts = [
    `${t.assertions} ${t.assertions === 1 ? 'run' : 'runs'}`,
    count(t.recorded, 'recorded', c.green),
    count(t.updated, 're-recorded', c.green),
    count(t.replayed, 'replayed', c.green),
    count(t.diverged, 'diverged', c.red),
    count(t.missing, 'missing', c.red),
    count(t.slow, 'slow', c.red),
    count(t.obsolete, 'obsolete', c.yellow),
  ]
  const shard = report.shard ? c.dim(` (shard ${report.shard})`) : ''
  return `${c.bold(c.inverse(' ReplayKit '))} ${parts.join(c.dim(' · '))}${shard}`
}

function count(value: number, word: string, paint: (text: string) => string): string {
  const text = `${value} ${word}`
  return value > 0 ? paint(text) : text
}

function failureLine(run: ReplayEntry, c: Colors): string {
  const label = c.red(`✗ ${run.status.padEnd(8)}`)
  let detail = ''
  if (run.divergence) {
    const d = run.divergence
    const at = d.kind === 'outcome' || d.kind === 'drawn' ? d.kind : `step ${d.step} ${d.kind}`
    detail = ` — ${at} (${d.section}) ${c.cyan(d.path)}`
  } else if (run.status === 'slow' && run.ownMs !== undefined && run.recordedOwnMs !== undefined) {
    detail = ` — ${ms(run.ownMs)} vs ${ms(run.recordedOwnMs)} recorded${run.ratio !== undefined ? ` (${run.ratio}×)` : ''}`
  }
  return `  ${label} ${run.file} ${c.bold(JSON.stringify(run.key))}${detail}`
}

function obsoleteLines(report: ReplayReport, c: Colors): string[] {
  const lines: string[] = []
  for (const file of report.files) {
    if (file.removed.length > 0) {
      lines.push(`  ${c.yellow('− removed ')} ${file.rpk}: ${file.removed.map((k) => JSON.stringify(k)).join(', ')}`)
    }
    const kept = file.obsolete.filter((key) => !file.removed.includes(key))
    if (kept.length > 0) {
      lines.push(
        `  ${c.yellow('○ obsolete')} ${file.rpk}: ${kept.map((k) => JSON.stringify(k)).join(', ')} ${c.dim(`(remove with ${updateCommand(file.file, 'all')})`)}`,
      )
    }
  }
  return lines
}

function liveLines(report: ReplayReport, c: Colors): string[] {
  return report.runs
    .filter((run) => run.liveRequests && run.liveRequests.length > 0)
    .map(
      (run) =>
        `  ${c.yellow('↗ live    ')} ${run.file} ${JSON.stringify(run.key)}: ${run.liveRequests?.map((r) => `${r.method} ${r.url}`).join(', ')}`,
    )
}

function orphanLines(report: ReplayReport, c: Colors): string[] {
  return (report.orphans ?? []).map(
    (rpk) =>
      `  ${c.yellow('○ orphaned')} ${rpk}: its test file is gone ${c.dim('(a full `replaykit test --update-replays=all` deletes it)')}`,
  )
}

/** Duplicate run names, captures never judged, and failed calls stored as a baseline. */
function warningLines(report: ReplayReport, c: Colors): string[] {
  const label = c.yellow('⚠ warning ')
  const lines: string[] = []
  for (const file of report.files) {
    for (const name of file.duplicates ?? []) {
      lines.push(
        `  ${label} ${file.file}: several tests capture under ${JSON.stringify(name)}; their runs are numbered on (${JSON.stringify(`${name} 1`)}, ${JSON.stringify(`${name} 2`)}, …): give the tests different names`,
      )
    }
    for (const key of file.unasserted ?? []) {
      lines.push(`  ${label} ${file.file} ${JSON.stringify(key)}: capture() was never passed to toMatchReplay()`)
    }
  }
  for (const run of report.runs) {
    if (run.warnings && run.warnings.length > 0) {
      const calls = run.warnings.filter((line) => line.startsWith('  - ')).map((line) => line.slice(4))
      lines.push(`  ${label} ${run.file} ${JSON.stringify(run.key)}: recorded failed calls: ${calls.join('; ')}`)
    }
  }
  return lines
}

function slowestLine(report: ReplayReport, c: Colors): string {
  const items = report.slowest.map((run) => {
    const ratio = run.ratio !== undefined ? c.dim(` ${run.ratio}×`) : ''
    return `${ms(run.ownMs ?? 0)} ${JSON.stringify(run.key)}${ratio}`
  })
  return `  ${c.dim('slowest (own time):')} ${items.join(c.dim(', '))}`
}

function ms(value: number): string {
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`
}

/**
 * Whether the current process's terminal takes colours: `NO_COLOR`,
 * `--no-color`, `FORCE_COLOR` and whether stdout is a TTY (picocolors' rules).
 */
export function terminalColors(): boolean {
  return picocolors.isColorSupported
}
