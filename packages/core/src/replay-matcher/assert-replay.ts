/**
 * The logic of `expect(run).toMatchReplay(options)`, shared by the Vitest and
 * the Jest matcher: judge a captured run against its recording by mode, apply
 * the slowdown gate, store what was recorded, and say why in words.
 *
 * | mode | fails on |
 * |---|---|
 * | record (or recording) | nothing: the run is stored (unless in CI) |
 * | strict | any step, outcome or draw that differs; refused or unused requests; the gate |
 * | hybrid | the outcome, or the gate; requests that went live are listed |
 * | live-compare | any difference between the live exchange and the recording (drift) |
 */

import { relative } from 'node:path'
import type { Run } from '../artifact/types.js'
import type { LiveCompareOptions } from '../diff/compare-live.js'
import { compareLiveRun } from '../diff/compare-live.js'
import { compareRuns } from '../diff/compare-runs.js'
import { formatDivergence } from '../diff/format.js'
import type { RunComparison } from '../diff/types.js'
import { strategyOf } from '../engine/recorder/modes.js'
import type { Mode } from '../engine/types.js'
import { runHookSync } from '../plugins/active.js'
import { asMatched } from '../plugins/matched-runs.js'
import type { ReplayEntry, ReplayEntryDivergence } from '../replay-report/types.js'
import { renumberCorrelationIds } from '../store/renumber.js'
import type { RunnerName } from '../store/update-state.js'
import { checkAssertionOptions } from './config.js'
import {
  driftLines,
  liveLines,
  missingMessage,
  modeConflict,
  nameConflict,
  notARun,
  problemLines,
  rerecordHint,
  type Where,
} from './messages.js'
import { failedCallWarnings } from './recording-warnings.js'
import { type CaptureRecord, captureRecordOf } from './replay-run.js'
import { checkSlowdown, validateGate } from './slowdown.js'
import type { ReplayAssertionOptions, ReplayStatus, ReplayVerdict, SlowdownGate } from './types.js'

export interface AssertionContext {
  /** Project root: files in messages and reports are relative to it. */
  root: string
  runner: RunnerName
  /** ANSI colours in the failure message. */
  color: boolean
}

/**
 * Judge a run returned by `capture`. Throws a ReplayKitError (RPK_BAD_CONFIG)
 * for a value that is not such a run, a bad gate, or a mode or name the capture
 * could not honour; otherwise returns the verdict.
 */
export function assertReplay(
  received: unknown,
  options: ReplayAssertionOptions | undefined,
  context: AssertionContext,
): ReplayVerdict {
  checkAssertionOptions(options)
  const record = captureRecordOf(received)
  if (!record) throw notARun(received)
  const { file, plan, result } = record
  const where: Where = {
    testFile: relativePath(context.root, file.testFile),
    rpk: relativePath(context.root, file.rpkPath),
    runner: context.runner,
  }
  // The run was used, whatever the verdict: its entry is not obsolete.
  file.check(plan.key)
  if (plan.legacyKey) file.check(plan.legacyKey)
  record.asserted = true
  const opts = options ?? {}
  if (opts.name !== undefined && opts.name !== plan.name) throw nameConflict(opts.name, plan.name, where.testFile)
  const gate = opts.slowdown !== undefined ? opts.slowdown : record.slowdown
  if (gate) validateGate(gate, where.testFile)
  const mode = judgeMode(record, opts.mode, where.testFile)
  const base: ReplayEntry = {
    file: where.testFile,
    test: plan.name,
    key: plan.key,
    status: 'replayed',
    mode: opts.mode ?? plan.configuredMode,
    stored: false,
  }
  if (result.run.timing) base.ownMs = result.run.timing.ownMs

  if (strategyOf(result.mode).records) return recorded(record, base, where)
  if (plan.missing || !plan.recording) {
    return fail('missing', base, (color) => missingMessage(plan.key, where, color), context.color)
  }
  const ignorePaths = [...record.ignorePaths, ...(opts.ignorePaths ?? [])]
  if (file.update === 'changed') {
    const updated = updateIfChanged(plan.recording, record, base, ignorePaths, where)
    if (updated) return updated
  }
  if (strategyOf(mode).judges === 'live') {
    const ignoreResponsePaths = [...(record.ignoreResponsePaths ?? []), ...(opts.ignoreResponsePaths ?? [])]
    return liveCompare(plan.recording, record, base, { ignorePaths, ignoreResponsePaths }, context)
  }
  return replayed(plan.recording, record, base, { mode, ignorePaths, gate: gate || undefined, where }, context)
}

/** The mode to judge in: the asserted one when the capture's behaviour allows it. */
function judgeMode(record: CaptureRecord, asserted: Mode | undefined, file: string): Mode {
  const captured = record.plan.configuredMode
  if (asserted === undefined || asserted === captured) return captured
  // A run that was recorded (missing, or re-recording) is stored whatever it would have been judged as.
  const from = strategyOf(captured)
  const to = strategyOf(asserted)
  if (strategyOf(record.result.mode).records && !from.records && !to.records) return asserted
  // Replaying modes differ only in what happens to requests not in the recording: without any refused, they agree.
  const refused = record.result.problems.some((p) => p.type === 'unmatched-request')
  if (from.replays && to.replays && (from.onMiss === 'live' || !refused)) return asserted
  throw modeConflict(asserted, captured, file)
}

function recorded(record: CaptureRecord, base: ReplayEntry, where: Where): ReplayVerdict {
  const { file, plan, result } = record
  const existed = file.has(plan.key)
  const stored = file.update !== 'none'
  if (stored) storeRun(record)
  const status: ReplayStatus = existed ? 'updated' : 'recorded'
  const message = stored
    ? `${existed ? 'Re-recorded' : 'Recorded'} "${plan.key}" into ${where.rpk}`
    : `Ran "${plan.key}" live in record mode; nothing written (CI)`
  return withWarnings({ pass: true, status, message, entry: { ...base, status, stored } }, result.run, plan.key)
}

/**
 * An update run (`changed`) replayed what still matched and sent the rest live:
 * store the run when it differs from the recording, else judge it as usual
 * (undefined), leaving the stored run untouched.
 */
function updateIfChanged(
  recording: Run,
  record: CaptureRecord,
  base: ReplayEntry,
  ignorePaths: string[],
  where: Where,
): ReplayVerdict | undefined {
  const { plan, result } = record
  const comparison = compareRuns(asMatched(recording), asMatched(result.run), { ignorePaths })
  const live = result.problems.some((p) => p.type === 'live-request')
  if (comparison.equal && !live) return undefined
  storeRun(record, renumberCorrelationIds(result.run))
  const message = `Re-recorded "${plan.key}" into ${where.rpk}: it diverged from the recording`
  const entry: ReplayEntry = { ...base, status: 'updated', stored: true }
  if (comparison.first) entry.divergence = divergenceOf(comparison, plan.key)
  return withWarnings({ pass: true, status: 'updated', message, entry }, result.run, plan.key)
}

/** Hand a recorded run to the file; a pre-escaping key it replaced is left unchecked (obsolete). */
function storeRun(record: CaptureRecord, run: Run = record.result.run): void {
  const { file, plan } = record
  file.store(plan.key, run)
  if (plan.legacyKey) file.uncheck(plan.legacyKey)
}

/** Add the failed-call warnings of a newly stored run to its verdict and report entry. */
function withWarnings(verdict: ReplayVerdict, run: Run, key: string): ReplayVerdict {
  const warnings = failedCallWarnings(run, key)
  if (warnings.length === 0) return verdict
  return { ...verdict, warnings, entry: { ...verdict.entry, warnings } }
}

interface ReplaySettings {
  mode: Mode
  ignorePaths: string[]
  gate: SlowdownGate | undefined
  where: Where
}

function replayed(
  recording: Run,
  record: CaptureRecord,
  base: ReplayEntry,
  settings: ReplaySettings,
  context: AssertionContext,
): ReplayVerdict {
  const { result, plan } = record
  const { where } = settings
  const timing = checkSlowdown(recording.timing, result.run.timing, settings.gate)
  const entry: ReplayEntry = { ...base }
  if (timing.recordedOwnMs !== undefined) entry.recordedOwnMs = timing.recordedOwnMs
  if (timing.ratio !== undefined) entry.ratio = timing.ratio
  const live = result.problems.filter((p) => p.type === 'live-request').map((p) => ({ method: p.method, url: p.url }))
  if (live.length > 0) entry.liveRequests = live
  const title = `Replay of "${plan.key}" diverged from ${where.rpk}`

  if (strategyOf(settings.mode).judges === 'outcome') {
    // Hybrid fails on what the code produced, not on how it got there.
    const outcome = compareRuns(outcomeOnly(recording), outcomeOnly(result.run))
    if (!outcome.equal) {
      return fail(
        'diverged',
        { ...entry, divergence: divergenceOf(outcome, plan.key) },
        (color) =>
          [
            formatDivergence(outcome, { color, title, expectedLabel: 'recorded', actualLabel: 'this run' }),
            ...liveLines(live, where, color),
            rerecordHint(where, color),
          ].join('\n'),
        context.color,
      )
    }
  } else {
    const comparison = compareRuns(asMatched(recording), asMatched(result.run), { ignorePaths: settings.ignorePaths })
    const problems = result.problems.filter(
      (p) =>
        p.type === 'unmatched-request' ||
        p.type === 'unused-recording' ||
        p.type === 'failed-by-other-msw' ||
        p.type === 'plugin-failed',
    )
    if (!comparison.equal || problems.length > 0) {
      const withDivergence = comparison.first ? { ...entry, divergence: divergenceOf(comparison, plan.key) } : entry
      return fail(
        'diverged',
        withDivergence,
        (color) =>
          [
            formatDivergence(comparison, { color, title, expectedLabel: 'recorded', actualLabel: 'this run' }),
            ...problemLines(problems, color),
            rerecordHint(where, color),
          ].join('\n'),
        context.color,
      )
    }
  }
  if (timing.slow) {
    const message = timing.message ?? 'The run got slower than the gate allows.'
    return fail('slow', entry, () => `Replay of "${plan.key}": ${message}`, context.color)
  }
  const note = [`Replayed "${plan.key}" from ${where.rpk}`, ...liveLines(live, where, false)].join('\n')
  // Only a note worth reading goes into the report: which requests went live.
  return { pass: true, status: 'replayed', message: note, entry: live.length > 0 ? { ...entry, message: note } : entry }
}

function liveCompare(
  recording: Run,
  record: CaptureRecord,
  base: ReplayEntry,
  options: LiveCompareOptions,
  context: AssertionContext,
): ReplayVerdict {
  // Like with like: ids aligned, volatile response fields and the drawn values left out (compare-live.ts).
  const comparison = compareLiveRun(asMatched(recording), asMatched(record.result.run), options)
  const rpk = relativePath(context.root, record.file.rpkPath)
  if (comparison.equal) {
    const note = `Live run of "${record.plan.key}" matches the recording in ${rpk}`
    return { pass: true, status: 'replayed', message: note, entry: base }
  }
  const title = `Live run of "${record.plan.key}" drifted from the recording in ${rpk}`
  return fail(
    'diverged',
    { ...base, divergence: divergenceOf(comparison, record.plan.key) },
    (color) =>
      [
        formatDivergence(comparison, { color, title, expectedLabel: 'recorded', actualLabel: 'live' }),
        ...driftLines(comparison.all, comparison.differences),
      ].join('\n'),
    context.color,
  )
}

function fail(
  status: ReplayStatus,
  entry: ReplayEntry,
  message: (color: boolean) => string,
  color: boolean,
): ReplayVerdict {
  return {
    pass: false,
    status,
    message: message(color),
    entry: { ...entry, status, message: message(false) },
  }
}

/** A run reduced to what hybrid mode judges: its outcome. */
function outcomeOnly(run: Run): Run {
  return { name: run.name, index: run.index, steps: [], outcome: run.outcome }
}

/** The report's divergence, shown to the plugins' onDivergence hooks (a hook that throws fails the assertion). */
function divergenceOf(comparison: RunComparison, key: string): ReplayEntryDivergence {
  return runHookSync('onDivergence', { key, divergence: divergenceFields(comparison) }).divergence
}

/** The first divergence of a comparison as the report keeps it (and the onDivergence hook sees it). */
export function divergenceFields(comparison: RunComparison): ReplayEntryDivergence {
  const first = comparison.first
  if (!first) return { step: 0, kind: 'outcome', section: 'output', path: '$', differences: comparison.differences }
  const divergence: ReplayEntryDivergence = {
    step: first.step,
    kind: first.kind,
    section: first.section,
    path: first.path,
    differences: comparison.differences,
  }
  if (first.expected !== undefined) divergence.expected = first.expected
  if (first.actual !== undefined) divergence.actual = first.actual
  return divergence
}

function relativePath(root: string, file: string): string {
  return relative(root, file).split('\\').join('/')
}
