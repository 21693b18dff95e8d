/**
 * `replaykit assert BASELINE CANDIDATE [--strict] [--max-ratio R] [--min-ms M]`:
 * the CI gate. Exit 1 when a run diverges, is missing or is extra; with
 * `--strict`, also when a run's own time grew past the ratio and the floor.
 */
import { divergenceJson, formatDivergence, pairRuns, type Run, type RunPair } from '@replaykit/core'
import type { CommandContext, CommandResult } from '../context.js'
import { EXIT_CODES } from '../exit-codes.js'
import { loadRecording } from '../load.js'
import { ms } from '../timeline.js'
import { DEFAULT_MAX_RATIO, DEFAULT_MIN_MS } from './assert-defaults.js'

export interface AssertOptions {
  strict: boolean
  /** Fail when candidate own time > baseline own time × maxRatio … */
  maxRatio: number
  /** … and by more than minMs milliseconds (so tiny runs do not flake). */
  minMs: number
}

export { DEFAULT_MAX_RATIO, DEFAULT_MIN_MS }

type Failure =
  | { key: string; type: 'diverged'; divergence: unknown }
  | { key: string; type: 'missing' | 'extra' }
  | { key: string; type: 'slow'; baselineOwnMs: number; candidateOwnMs: number; ratio: number | null }

export function assertRecordings(
  baselineFile: string,
  candidateFile: string,
  options: AssertOptions,
  context: CommandContext,
): CommandResult {
  const baseline = loadRecording(baselineFile)
  const candidate = loadRecording(candidateFile)
  const pairs = pairRuns(baseline, candidate, [])
  const { info, failure, colors: c } = context
  const failures: Failure[] = []
  let timingUnchecked = 0

  for (const pair of pairs) {
    const name = `run ${JSON.stringify(pair.key)}`
    if (pair.status === 'only-in-a') {
      failures.push({ key: pair.key, type: 'missing' })
      failure(`${c.red('✗')} ${name} is missing from the candidate (only in the baseline)`)
      continue
    }
    if (pair.status === 'only-in-b') {
      failures.push({ key: pair.key, type: 'extra' })
      failure(`${c.red('✗')} ${name} is not in the baseline (extra in the candidate)`)
      continue
    }
    if (pair.status === 'differ') {
      failures.push({ key: pair.key, type: 'diverged', divergence: divergenceJson(pair.comparison) })
      failure(
        formatDivergence(pair.comparison, {
          color: context.options.color,
          title: `${c.red('✗')} ${name} diverged from the baseline`,
          expectedLabel: 'baseline',
          actualLabel: 'candidate',
        }),
      )
    }
    if (!options.strict) continue
    const slow = slowdown(pair, options)
    if (slow === undefined) timingUnchecked++
    else if (slow) {
      failures.push({ key: pair.key, type: 'slow', ...slow })
      failure(
        `${c.red('✗')} ${name} got slower: own time ${ms(slow.candidateOwnMs)} vs ${ms(slow.baselineOwnMs)} in the baseline (×${slow.ratio ?? '∞'}, limit ×${options.maxRatio} and +${ms(options.minMs)})`,
      )
    }
  }

  const kinds = ['diverged', 'missing', 'extra', 'slow'] as const
  const tally = Object.fromEntries(
    kinds.map((kind) => [kind, failures.filter((f) => f.type === kind).length]),
  ) as Record<(typeof kinds)[number], number>
  const failedKeys = new Set(failures.map((f) => f.key))
  const summary = { runs: pairs.length, passed: pairs.length - failedKeys.size, ...tally, timingUnchecked }
  const ok = failures.length === 0

  if (options.strict && timingUnchecked > 0) {
    info(
      `note: ${timingUnchecked} run${timingUnchecked === 1 ? ' has' : 's have'} no timing on one side; not checked for slowdowns`,
    )
  }
  if (ok) {
    const gate = options.strict ? ` (timing within ×${options.maxRatio} or +${ms(options.minMs)})` : ''
    info(
      `${c.green('assert: OK')} — ${pairs.length === 1 ? '1 run matches' : `${pairs.length} runs match`} the baseline${gate}`,
    )
  } else {
    const parts = kinds.filter((kind) => tally[kind] > 0).map((kind) => `${tally[kind]} ${kind}`)
    failure(
      `${c.red('assert: FAILED')} — ${failedKeys.size} of ${pairs.length} run${pairs.length === 1 ? '' : 's'} failed (${parts.join(', ')}); baseline ${baselineFile}, candidate ${candidateFile}`,
    )
  }

  const exitCode = ok ? EXIT_CODES.ok : EXIT_CODES.failed
  return {
    exitCode,
    json: {
      command: 'assert',
      ok,
      exitCode,
      baseline: baselineFile,
      candidate: candidateFile,
      strict: options.strict,
      maxRatio: options.maxRatio,
      minMs: options.minMs,
      summary,
      failures,
    },
  }
}

/**
 * The slowdown of a run, false when within the gate, undefined when a side has
 * no timing. Both limits must be passed: the ratio alone would flake on runs of
 * a few milliseconds, the floor alone would miss slow runs getting slower.
 */
function slowdown(
  pair: Extract<RunPair, { expected: Run; actual: Run }>,
  options: AssertOptions,
): { baselineOwnMs: number; candidateOwnMs: number; ratio: number | null } | false | undefined {
  const before = pair.expected.timing?.ownMs
  const after = pair.actual.timing?.ownMs
  if (before === undefined || after === undefined) return undefined
  if (after <= before * options.maxRatio || after - before <= options.minMs) return false
  // A baseline of 0 ms gives no finite ratio; JSON has no Infinity.
  const ratio = before === 0 ? null : Number((after / before).toFixed(2))
  return { baselineOwnMs: before, candidateOwnMs: after, ratio }
}
