/**
 * Compare a recorded run with a new one and find the first divergence
 * (SPEC section 6) in one linear pass.
 *
 * Steps are compared position by position on their canonical form without
 * volatile parts (timing, stream pacing) and without the ignored body paths, so
 * an identical step costs one string comparison. Only differing steps are walked
 * for their first differing path, and only the first one is diffed field by
 * field. After the steps come the outcome (section `output`) and, when every
 * step is equal, the drawn time and random values (section `determinism`).
 */
import { canonicalKey } from '../artifact/canonical-json.js'
import { stableStep } from '../artifact/hash.js'
import { formatJsonPath } from '../artifact/json-path.js'
import type { DrawnValue, JsonValue, Run, RunOutcome, Step } from '../artifact/types.js'
import { type CompiledPath, compileJsonPath, removePaths } from '../redact/json-path-select.js'
import { fieldChanges } from './field-changes.js'
import { firstDifference, valueAt } from './first-difference.js'
import { sectionOf } from './section.js'
import { stepDetail } from './step-detail.js'
import {
  type CompareOptions,
  type Divergence,
  type FieldChange,
  MAX_DIVERGENCES,
  MAX_FIELD_CHANGES,
  type RunComparison,
} from './types.js'

/**
 * Compare two runs. `expected` is the recording, `actual` the new run.
 *
 * @example
 * const result = compareRuns(recorded, run, { ignorePaths: ['$.metadata.requestId'] })
 * if (!result.equal) console.log(formatDivergence(result, { color: false }))
 */
export function compareRuns(expected: Run, actual: Run, options: CompareOptions = {}): RunComparison {
  const ignore = compileIgnorePaths(options)
  const urls = new Map<string, string>()
  const all: Divergence[] = []
  let differences = 0
  const add = (make: (first: boolean) => Divergence): void => {
    differences++
    if (all.length < MAX_DIVERGENCES) all.push(make(all.length === 0))
  }

  const length = Math.max(expected.steps.length, actual.steps.length)
  for (let i = 0; i < length; i++) {
    const e = expected.steps[i]
    const a = actual.steps[i]
    rememberUrl(urls, e ?? a)
    if (e && a) {
      if (e === a) continue
      const stableE = comparable(e, ignore)
      const stableA = comparable(a, ignore)
      if (canonicalKey(stableE) === canonicalKey(stableA)) continue
      add((first) => stepDivergence(i, stableE, stableA, first, urls))
    } else if (e) {
      add(() => wholeStep(i, comparable(e, ignore), 'missing', urls))
    } else if (a) {
      add(() => wholeStep(i, comparable(a, ignore), 'extra', urls))
    }
  }

  const stepsEqual = differences === 0
  const outcomeEqual = canonicalKey(expected.outcome) === canonicalKey(actual.outcome)
  if (!outcomeEqual) add((first) => outcomeDivergence(expected.outcome, actual.outcome, first))

  // Different steps draw different values anyway: the draws only tell something new when the steps match.
  if (stepsEqual) {
    const drawn = drawnDivergence(expected.drawn ?? [], actual.drawn ?? [])
    if (drawn) add(() => drawn)
  }

  const comparison: RunComparison = {
    equal: differences === 0,
    differences,
    all,
    expectedSteps: expected.steps.length,
    actualSteps: actual.steps.length,
    outcomeEqual,
  }
  if (all[0]) comparison.first = all[0]
  return comparison
}

/**
 * Full details (path, values and field changes) of one pair of steps at the
 * 1-based position `step`, or undefined when they are equal. For live-compare
 * and viewers that show more than the first divergence.
 */
export function compareSteps(
  expected: Step,
  actual: Step,
  step: number,
  options: CompareOptions = {},
): Divergence | undefined {
  const ignore = compileIgnorePaths(options)
  const urls = new Map<string, string>()
  rememberUrl(urls, expected)
  const stableE = comparable(expected, ignore)
  const stableA = comparable(actual, ignore)
  if (canonicalKey(stableE) === canonicalKey(stableA)) return undefined
  return stepDivergence(step - 1, stableE, stableA, true, urls)
}

function compileIgnorePaths(options: CompareOptions): CompiledPath[] {
  return (options.ignorePaths ?? []).map((path) => compileJsonPath(path, 'ignorePaths'))
}

/** A step as compared: no timing or pacing, ignored paths removed from a JSON request body. */
function comparable(step: Step, ignore: readonly CompiledPath[]): Step {
  const stable = stableStep(step)
  if (ignore.length === 0 || (stable.kind !== 'http.request' && stable.kind !== 'model.request')) return stable
  const body = stable.request.body
  if (!body || !('json' in body)) return stable
  const json = removePaths(body.json, ignore)
  return { ...stable, request: { ...stable.request, body: { json } } }
}

/** Request URLs by correlation id, so a response step can be classed by the URL it answered. */
function rememberUrl(urls: Map<string, string>, step: Step | undefined): void {
  if (step && (step.kind === 'http.request' || step.kind === 'model.request')) {
    urls.set(step.correlationId, step.request.url)
  }
}

function stepDivergence(
  index: number,
  expected: Step,
  actual: Step,
  withChanges: boolean,
  urls: Map<string, string>,
): Divergence {
  const segments = firstDifference(expected, actual) ?? []
  const url = urls.get(expected.correlationId)
  const divergence: Divergence = {
    ...identity(index, expected, urls),
    section: sectionOf(expected.kind, segments, url),
    reason: 'changed',
    path: formatJsonPath(segments),
    changes: [],
  }
  setValues(divergence, valueAt(expected, segments), valueAt(actual, segments))
  if (withChanges) setChanges(divergence, fieldChanges(expected, actual))
  return divergence
}

function wholeStep(index: number, step: Step, reason: 'missing' | 'extra', urls: Map<string, string>): Divergence {
  const divergence: Divergence = {
    ...identity(index, step, urls),
    section: sectionOf(step.kind, [], urls.get(step.correlationId)),
    reason,
    path: '$',
    changes: [],
  }
  if (reason === 'missing') divergence.expected = step as unknown as JsonValue
  else divergence.actual = step as unknown as JsonValue
  return divergence
}

function identity(
  index: number,
  step: Step,
  urls: Map<string, string>,
): Pick<Divergence, 'step' | 'seq' | 'kind' | 'correlationId' | 'detail'> {
  return {
    step: index + 1,
    seq: step.seq,
    kind: step.kind,
    correlationId: step.correlationId,
    detail: stepDetail(step, urls.get(step.correlationId)),
  }
}

function outcomeDivergence(expected: RunOutcome, actual: RunOutcome, withChanges: boolean): Divergence {
  const segments = firstDifference(expected, actual) ?? []
  const divergence: Divergence = {
    step: 0,
    kind: 'outcome',
    detail:
      expected.type === actual.type ? outcomeLabel(expected) : `${outcomeLabel(expected)} → ${outcomeLabel(actual)}`,
    section: 'output',
    reason: 'changed',
    path: formatJsonPath(segments),
    changes: [],
  }
  setValues(divergence, valueAt(expected, segments), valueAt(actual, segments))
  if (withChanges) setChanges(divergence, fieldChanges(expected, actual))
  return divergence
}

function outcomeLabel(outcome: RunOutcome): string {
  return outcome.type === 'return' ? 'return value' : 'thrown error'
}

/**
 * The first differing draw. Its changes are listed position by position (not
 * with json-diff-ts): a loop can draw thousands of values, and a draw list is flat.
 */
function drawnDivergence(expected: DrawnValue[], actual: DrawnValue[]): Divergence | undefined {
  const changes: FieldChange[] = []
  let first: number | undefined
  let total = 0
  const length = Math.max(expected.length, actual.length)
  for (let i = 0; i < length; i++) {
    const e = expected[i]
    const a = actual[i]
    if (e && a && e.source === a.source && e.value === a.value) continue
    first ??= i
    total++
    if (changes.length >= MAX_FIELD_CHANGES) continue
    const change: FieldChange = { type: !a ? 'REMOVE' : !e ? 'ADD' : 'UPDATE', path: `$[${i}]` }
    if (e) change.oldValue = { ...e }
    if (a) change.value = { ...a }
    changes.push(change)
  }
  if (first === undefined) return undefined
  const e = expected[first]
  const a = actual[first]
  const segments = e && a ? [first, ...(firstDifference(e, a) ?? [])] : [first]
  const divergence: Divergence = {
    step: 0,
    kind: 'drawn',
    detail: `draw ${first + 1} of ${expected.length}${e ? `, ${e.source}` : ''}`,
    section: 'determinism',
    reason: !a ? 'missing' : !e ? 'extra' : 'changed',
    path: formatJsonPath(segments),
    changes,
  }
  setValues(divergence, valueAt(expected, segments), valueAt(actual, segments))
  if (total > changes.length) divergence.omittedChanges = total - changes.length
  return divergence
}

function setValues(divergence: Divergence, expected: JsonValue | undefined, actual: JsonValue | undefined): void {
  if (expected !== undefined) divergence.expected = expected
  if (actual !== undefined) divergence.actual = actual
}

function setChanges(divergence: Divergence, result: { changes: FieldChange[]; omitted: number }): void {
  divergence.changes = result.changes
  if (result.omitted > 0) divergence.omittedChanges = result.omitted
}
