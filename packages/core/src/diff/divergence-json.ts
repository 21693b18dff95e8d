/**
 * The divergence report as stable JSON, for `--json` outputs, reporters and
 * tools. The shape is documented in docs/divergence.md; members are only ever
 * added (bump `version` for anything else).
 */
import type { JsonObject, JsonValue } from '../artifact/types.js'
import { redactPrintedJson } from '../redact/printed.js'
import { relativePath } from './display.js'
import type { Divergence, RunComparison } from './types.js'

/** Version of the JSON shape below. */
export const DIVERGENCE_JSON_VERSION = 1

/**
 * The same facts as `formatDivergence`, as JSON: `first` in full (values and field
 * changes) or null, and `all` as a compact list of differing positions.
 */
export function divergenceJson(comparison: RunComparison): JsonValue {
  return {
    version: DIVERGENCE_JSON_VERSION,
    equal: comparison.equal,
    differences: comparison.differences,
    expectedSteps: comparison.expectedSteps,
    actualSteps: comparison.actualSteps,
    outcomeEqual: comparison.outcomeEqual,
    first: comparison.first ? firstJson(comparison.first) : null,
    all: comparison.all.map(summaryJson),
    truncated: comparison.all.length < comparison.differences,
  }
}

function firstJson(divergence: Divergence): JsonObject {
  const { where, path } = relativePath(divergence)
  const out = summaryJson(divergence)
  out.where = where
  out.relativePath = path
  // Values go through the built-in rules again: reports are written to disk and printed.
  if (divergence.expected !== undefined) out.expected = redactPrintedJson(divergence.expected)
  if (divergence.actual !== undefined) out.actual = redactPrintedJson(divergence.actual)
  out.changes = divergence.changes.map((change) => {
    const item: JsonObject = { type: change.type, path: change.path }
    if (change.oldValue !== undefined) item.oldValue = redactPrintedJson(change.oldValue)
    if (change.value !== undefined) item.value = redactPrintedJson(change.value)
    return item
  })
  out.omittedChanges = divergence.omittedChanges ?? 0
  return out
}

function summaryJson(divergence: Divergence): JsonObject {
  const out: JsonObject = { step: divergence.step, kind: divergence.kind }
  if (divergence.seq !== undefined) out.seq = divergence.seq
  if (divergence.correlationId !== undefined) out.correlationId = divergence.correlationId
  if (divergence.detail !== undefined) out.detail = divergence.detail
  out.section = divergence.section
  out.reason = divergence.reason
  out.path = divergence.path
  return out
}
