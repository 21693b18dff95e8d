/**
 * `replaykit inspect FILE [--run NAME]`: the runs of a recording and a
 * timeline of their steps.
 */
import { checkRunNames, clip, type RpkFile, type Run, selectRuns, type TimelineRow, timelineRow } from '@replaykit/core'
import type { CommandContext, CommandResult } from '../context.js'
import { EXIT_CODES } from '../exit-codes.js'
import { loadRecording } from '../load.js'
import { formatTable, ms } from '../timeline.js'

export interface InspectOptions {
  run: string[]
}

export function inspect(file: string, options: InspectOptions, context: CommandContext): CommandResult {
  const rpk = loadRecording(file)
  checkRunNames(options.run, [{ path: file, rpk }])
  const runs = selectRuns(rpk, options.run)
  const { info, colors: c } = context

  const count = Object.keys(rpk.runs).length
  info(
    `${c.bold(file)}: schema ${rpk.schemaVersion}, ${count} run${count === 1 ? '' : 's'}, ${rpk.contentHash.slice(0, 19)}…, written by ${rpk.meta.writer}`,
  )
  if (rpk.meta.source) info(`source: ${rpk.meta.source}`)
  // Written by the gateway (`replaykit listen`): which mode recorded it, and where that was set.
  if (rpk.meta.capture) info(`captured: mode ${rpk.meta.capture.mode}, policy from ${rpk.meta.capture.policySource}`)

  const runsJson = runs.map(([key, run]) => {
    const urls = new Map<string, string>()
    const timeline = run.steps.map((step) => timelineRow(step, urls))
    info('')
    info(`${c.bold(`run ${JSON.stringify(key)}`)} (name ${JSON.stringify(run.name)}, index ${run.index})`)
    info(`  ${summary(run)}`)
    if (timeline.length > 0) for (const line of table(timeline)) info(`  ${line}`)
    return {
      key,
      name: run.name,
      index: run.index,
      steps: run.steps.length,
      outcome: run.outcome,
      timing: run.timing ?? null,
      drawn: run.drawn?.length ?? 0,
      timeline,
    }
  })

  return {
    exitCode: EXIT_CODES.ok,
    json: {
      command: 'inspect',
      ok: true,
      exitCode: EXIT_CODES.ok,
      file,
      schemaVersion: rpk.schemaVersion,
      contentHash: rpk.contentHash,
      meta: rpk.meta as RpkFile['meta'],
      signed: rpk.signature !== undefined,
      runs: runsJson,
    },
  }
}

function summary(run: Run): string {
  const parts = [`${run.steps.length} step${run.steps.length === 1 ? '' : 's'}`]
  const outcome = run.outcome
  if (outcome.type === 'return') {
    parts.push(`returned ${outcome.value === undefined ? 'nothing' : clip(JSON.stringify(outcome.value), 60)}`)
  } else {
    parts.push(`threw ${clip(`${outcome.error.name}: ${outcome.error.message}`, 60)}`)
  }
  if (run.timing) {
    const t = run.timing
    parts.push(`total ${ms(t.totalMs)}, network ${ms(t.networkMs)}, own ${ms(t.ownMs)}`)
  }
  // Written by the gateway for exchanges a killed listener left in flight (core's INTERRUPTED_CODE).
  const interrupted = run.steps.filter((step) => step.kind === 'error.event' && step.code === 'RPK_GATEWAY_INTERRUPTED')
  if (interrupted.length > 0) parts.push(`${interrupted.length} interrupted (in flight when the listener stopped)`)
  const drawn = run.drawn?.length ?? 0
  if (drawn > 0) parts.push(`${drawn} drawn value${drawn === 1 ? '' : 's'}`)
  return parts.join(' · ')
}

function table(rows: TimelineRow[]): string[] {
  return formatTable(
    ['seq', 'kind', 'call', 'model', 'status', 'duration', 'text'],
    rows.map((row) => [
      String(row.seq),
      row.kind,
      row.call,
      row.model ?? '',
      row.status === null ? '' : String(row.status),
      row.durationMs === null ? '' : ms(row.durationMs),
      row.text,
    ]),
  )
}
