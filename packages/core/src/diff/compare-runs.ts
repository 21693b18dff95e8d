/**
 * Compare a recorded run with a new one and find the first divergence
 * (SPEC section 6) in one linear pass.
 *
 * Steps are compared position by position for equal canonical form without
 * volatile parts (timing, stream pacing) and without the ignored body paths,
 * walking both steps at once (`sameJson`) rather than writing their canonical
 * text, so an identical step costs one walk and no copy. Only differing
 * steps are walked for their first differing path (and their request URL looked
 * up), and only the first one is diffed field by field (json-diff-ts). After the
 * steps come the outcome (section `output`) and, when every step is equal, the
 * drawn time and random values (section `determinism`).
 */
import { canonicalKey } from '../artifact/canonical-json.js'
import { stableStep } from '../artifact/hash.js'
import { formatJsonPath } from '../artifact/json-path.js'
import type { DrawnValue, JsonValue, Run, RunOutcome, Step } from '../artifact/types.js'
import { type CompiledPath, compileJsonPath, removePaths } from '../redact/json-path-select.js'
import { fieldChanges } from './field-changes.js'
import { firstDifference, valueAt } from './first-difference.js'
import { RequestUrls, type UrlOf } from './request-urls.js'
import { isJson, sameJson } from './same-json.js'
import { sameStableSteps } from './same-step.js'
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
  const urls = new RequestUrls((i) => expected.steps[i] ?? actual.steps[i])
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
    if (e && a) {
      if (e === a || sameStep(e, a, ignore)) continue
      add((first) => stepDivergence(i, comparable(e, ignore), comparable(a, ignore), first, urls.of(i)))
    } else if (e) {
      add(() => wholeStep(i, comparable(e, ignore), 'missing', urls.of(i)))
    } else if (a) {
      add(() => wholeStep(i, comparable(a, ignore), 'extra', urls.of(i)))
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
  if (sameStep(expected, actual, ignore)) return undefined
  const urls = new RequestUrls((i) => (i === 0 ? expected : undefined))
  return stepDivergence(step - 1, comparable(expected, ignore), comparable(actual, ignore), true, urls.of(0))
}

/**
 * Whether two steps are the same once their volatile parts and ignored paths
 * are left out: the same answer, and the same RPK_NOT_JSON, as comparing the
 * `canonicalKey`s of their comparable forms. Without ignore paths (the common
 * case) they are walked in place without copies; when the walk cannot judge,
 * the canonical texts decide.
 */
function sameStep(expected: Step, actual: Step, ignore: readonly CompiledPath[]): boolean {
  let same = ignore.length === 0 ? sameStableSteps(expected, actual) : undefined
  if (same === true) return true
  const stableE = comparable(expected, ignore)
  const stableA = comparable(actual, ignore)
  same ??= sameJson(stableE, stableA)
  if (same === true) return true
  if (same === undefined) return canonicalKey(stableE) === canonicalKey(stableA)
  // Different (as every step of a run shifted by one is): only check, as canonicalKey did, that both are JSON.
  if (!isJson(stableE)) canonicalKey(stableE)
  if (!isJson(stableA)) canonicalKey(stableA)
  return false
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

function stepDivergence(index: number, expected: Step, actual: Step, withChanges: boolean, urlOf: UrlOf): Divergence {
  const segments = firstDifference(expected, actual) ?? []
  const url = urlOf(expected.correlationId)
  const divergence: Divergence = {
    ...identity(index, expected, urlOf),
    section: sectionOf(expected.kind, segments, url, providerOf(expected)),
    reason: 'changed',
    path: formatJsonPath(segments),
    changes: [],
  }
  setValues(divergence, valueAt(expected, segments), valueAt(actual, segments))
  if (withChanges) setChanges(divergence, fieldChanges(expected, actual))
  return divergence
}

/** The provider of a model step, whose adapter knows which body member is what. */
function providerOf(step: Step): string | undefined {
  return step.kind === 'model.request' || step.kind === 'model.response' ? step.provider : undefined
}

function wholeStep(index: number, step: Step, reason: 'missing' | 'extra', urlOf: UrlOf): Divergence {
  const divergence: Divergence = {
    ...identity(index, step, urlOf),
    section: sectionOf(step.kind, [], urlOf(step.correlationId), providerOf(step)),
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
  urlOf: UrlOf,
): Pick<Divergence, 'step' | 'seq' | 'kind' | 'correlationId' | 'detail'> {
  return {
    step: index + 1,
    seq: step.seq,
    kind: step.kind,
    correlationId: step.correlationId,
    detail: stepDetail(step, urlOf(step.correlationId)),
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
