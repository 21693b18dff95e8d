/**
 * The words of `toMatchReplay` failures that are not a step comparison:
 * a missing recording, engine problems, a mode or name given too late.
 */
import { shortValue } from '../diff/display.js'
import type { Divergence } from '../diff/types.js'
import type { Mode, ReplayProblem } from '../engine/types.js'
import { UsageError } from '../errors/classes.js'
import type { ReplayKitError } from '../errors.js'
import { picocolors } from '../lazy-deps.js'
import { redactPrinted } from '../redact/printed.js'
import { type RunnerName, recordCommand, updateCommand } from '../store/update-state.js'

export interface Where {
  /** Test file relative to the project root. */
  testFile: string
  /** `.rpk` relative to the project root. */
  rpk: string
  runner: RunnerName
}

/** A run has no recording and CI may not make one. */
export function missingMessage(key: string, where: Where, color: boolean): string {
  const c = picocolors.createColors(color)
  return [
    c.bold(c.red(`No recording for "${key}" in ${where.rpk}`)),
    '  CI runs (CI is set, or --ci) record nothing, so the code was run with no request allowed out.',
    `  Record it with a local run:     ${c.cyan(recordCommand(where.testFile, where.runner))}`,
    `  or with the file's diverged runs: ${c.cyan(updateCommand(where.testFile))}`,
    '  and commit the .rpk.',
  ]
    .map(redactPrinted)
    .join('\n')
}

/** How to accept an intended change: re-record. */
export function rerecordHint(where: Where, color: boolean): string {
  const c = picocolors.createColors(color)
  return `If the change is intended, re-record: ${c.cyan(updateCommand(where.testFile))}`
}

/** Engine problems worth a line in a strict failure: refused requests and recorded ones never made. */
export function problemLines(problems: readonly ReplayProblem[], color: boolean): string[] {
  const c = picocolors.createColors(color)
  const lines: string[] = []
  const refused = problems.filter((p) => p.type === 'unmatched-request')
  const failed = problems.find((p) => p.type === 'failed-by-other-msw')
  // The code did make them: the user's MSW failed them before ReplayKit saw them.
  const unused = failed ? [] : problems.filter((p) => p.type === 'unused-recording')
  if (failed) {
    lines.push(
      `Your own MSW server failed a request before ReplayKit saw it (its \`onUnhandledFrame: 'error'\`): set it to 'bypass' or 'warn' so ReplayKit answers the requests your handlers leave.`,
    )
  }
  for (const p of problems) if (p.type === 'plugin-failed') lines.push(p.message)
  if (refused.length > 0) {
    lines.push(`Requests not in the recording (refused; nothing left the process):`)
    for (const p of refused) lines.push(`  ${c.red('✗')} ${p.method} ${p.url}`)
  }
  if (unused.length > 0) {
    lines.push(`Recorded requests this run did not make:`)
    for (const p of unused) lines.push(`  ${c.yellow('-')} ${p.method} ${p.url}`)
  }
  return lines.map(redactPrinted)
}

/** Hybrid: the requests that went live, listed in the note or the failure. */
export function liveLines(
  live: ReadonlyArray<{ method: string; url: string }>,
  where: Where,
  color: boolean,
): string[] {
  if (live.length === 0) return []
  const c = picocolors.createColors(color)
  return [
    `${live.length === 1 ? '1 request' : `${live.length} requests`} not in the recording went live (hybrid mode):`,
    ...live.map((p) => `  ${c.yellow('+')} ${p.method} ${p.url}`),
    `Store them with: ${c.cyan(updateCommand(where.testFile))}`,
  ].map(redactPrinted)
}

/** Live-compare: every differing position, one line each. */
export function driftLines(all: readonly Divergence[], differences: number): string[] {
  const lines = ['Differences between the live exchange and the recording, step by step:']
  for (const d of all) {
    const at = d.kind === 'outcome' || d.kind === 'drawn' ? d.kind : `step ${d.step} ${d.kind}`
    let what: string
    if (d.reason === 'missing') what = 'no longer made'
    else if (d.reason === 'extra') what = 'new'
    else what = `${d.path}: ${shortValue(d.expected, 60)} → ${shortValue(d.actual, 60)}`
    lines.push(`  ${at} (${d.section}) ${what}`)
  }
  if (differences > all.length) lines.push(`  … ${differences - all.length} more`)
  return lines.map(redactPrinted)
}

/** `toMatchReplay({ mode })` asks for a judgement the capture could not produce. */
export function modeConflict(asserted: Mode, captured: Mode, file: string): ReplayKitError {
  return new UsageError(
    `Failed to match the replay: toMatchReplay({ mode: '${asserted}' }) judges a run that capture() ran in ${captured} mode, and the mode decides what happens to the network while fn runs.`,
    { file, hint: `give the mode to the capture too: capture(fn, { mode: '${asserted}' }).` },
  )
}

/** `toMatchReplay({ name })` names a run whose recording was chosen under another name. */
export function nameConflict(asserted: string, captured: string, file: string): ReplayKitError {
  return new UsageError(
    `Failed to match the replay: toMatchReplay({ name: ${JSON.stringify(asserted)} }) names a run that capture() stored as ${JSON.stringify(captured)}; the capture picks its recording by name before fn runs.`,
    { file, hint: `give the name to the capture: capture(fn, { name: ${JSON.stringify(asserted)} }).` },
  )
}

/** The matcher got something that did not come from `capture`. */
export function notARun(received: unknown): ReplayKitError {
  const isPromise = typeof (received as { then?: unknown } | null)?.then === 'function'
  const got = received === null ? 'null' : isPromise ? 'a Promise' : typeof received
  return new UsageError(
    `Failed to match the replay: toMatchReplay() needs the run that capture(fn) returned, and got ${got}.`,
    {
      hint: isPromise
        ? 'await the capture: const run = await capture(() => …); expect(run).toMatchReplay()'
        : 'pass the result of capture: const run = await capture(() => …); expect(run).toMatchReplay()',
    },
  )
}
