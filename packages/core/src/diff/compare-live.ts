/**
 * live-compare: compare a live run with its recording like with like, so that an
 * unchanged provider compares equal and a drifted one shows its changed answer first.
 *
 * Before the step-by-step comparison (compareRuns), both runs lose what a provider
 * makes up anew on every call and what the user said to ignore:
 * - each adapter's `volatileResponsePaths` (ids, creation times, fingerprints, tool
 *   call ids) and the user's `ignoreResponsePaths`, in every response document (the
 *   body, each element of a JSON-array body, each stream event's data);
 * - the events of a streamed model answer: providers cut the same answer into other
 *   chunks on every call. The step's assembled text, tool calls, usage and finish
 *   reason are compared instead;
 * - the drawn time and random values: live-compare hands the recorded ones back
 *   (capture.ts), and it judges the provider, not the code's draws.
 * A volatile id the code sends back (a tool call id in the next request, a
 * `previous_response_id`) is read as the recorded id it stands for: the k-th
 * distinct live value of a volatile path is the k-th distinct recorded one.
 */
import type { HttpResponseData, JsonValue, Run, Step } from '../artifact/types.js'
import { adapterForProvider } from '../providers/registry.js'
import type { ProviderAdapter } from '../providers/types.js'
import { type CompiledPath, compileJsonPath, removePaths, replacePaths } from '../redact/json-path-select.js'
import { compareRuns } from './compare-runs.js'
import type { CompareOptions, RunComparison } from './types.js'

export interface LiveCompareOptions extends CompareOptions {
  /**
   * JSON paths into responses left out of the comparison, beside the adapters' volatile
   * fields: applied to each response document (as `volatileResponsePaths` are) and to a
   * model answer's summary (`$.usage` also leaves out the step's `usage`).
   */
  ignoreResponsePaths?: string[]
}

/**
 * Compare a live run (live-compare mode) with its recording.
 *
 * @example
 * const result = compareLiveRun(recorded, live, { ignoreResponsePaths: ['$.usage'] })
 * result.first?.path // '$.text' when the provider now answers differently
 */
export function compareLiveRun(recorded: Run, live: Run, options: LiveCompareOptions = {}): RunComparison {
  const ignore = (options.ignoreResponsePaths ?? []).map((path) => compileJsonPath(path, 'ignoreResponsePaths'))
  const aliases = volatileAliases(recorded, live)
  const expected = comparableRun(recorded, ignore, undefined)
  const actual = comparableRun(live, ignore, aliases)
  const compare: CompareOptions = {}
  if (options.ignorePaths) compare.ignorePaths = options.ignorePaths
  return compareRuns(expected, actual, compare)
}

/** Compiled volatile paths of each adapter (built-in or registered), once per adapter object. */
const VOLATILE = new WeakMap<ProviderAdapter, readonly CompiledPath[]>()

function volatilePathsOf(provider: string): readonly CompiledPath[] {
  const adapter = adapterForProvider(provider)
  if (!adapter) return []
  let compiled = VOLATILE.get(adapter)
  if (!compiled) {
    compiled = (adapter.volatileResponsePaths ?? []).map((path) =>
      compileJsonPath(path, `${adapter.provider} volatileResponsePaths`),
    )
    VOLATILE.set(adapter, compiled)
  }
  return compiled
}

function volatileOf(step: Step): readonly CompiledPath[] {
  return step.kind === 'model.response' ? volatilePathsOf(step.provider) : []
}

function comparableRun(run: Run, ignore: readonly CompiledPath[], aliases: Map<string, string> | undefined): Run {
  const { drawn: _drawn, ...rest } = run
  // Volatile fields and stream events go first: what is left is all that can hold an id the code sent back.
  return { ...rest, steps: run.steps.map((step) => aliased(comparableStep(step, ignore), aliases)) }
}

function comparableStep(step: Step, ignore: readonly CompiledPath[]): Step {
  if (step.kind === 'http.response') {
    return ignore.length === 0 ? step : { ...step, response: stripResponse(step.response, ignore, false) }
  }
  if (step.kind !== 'model.response') return step
  const paths = [...volatileOf(step), ...ignore]
  const out = { ...step, response: stripResponse(step.response, paths, true) }
  if (ignore.length === 0) return out
  // The summary the adapter made of the answer, under the same paths (`$.usage`, `$.finishReason`).
  const summary: Record<string, JsonValue> = {}
  for (const key of ['text', 'toolCalls', 'usage', 'finishReason'] as const) {
    if (out[key] !== undefined) summary[key] = out[key] as unknown as JsonValue
    delete out[key]
  }
  const kept = removePaths(summary, ignore)
  return kept !== null && typeof kept === 'object' && !Array.isArray(kept) ? ({ ...out, ...kept } as Step) : out
}

function stripResponse(
  response: HttpResponseData,
  paths: readonly CompiledPath[],
  dropEvents: boolean,
): HttpResponseData {
  const out: HttpResponseData = { ...response }
  if (response.body && 'json' in response.body && paths.length > 0) {
    out.body = { json: stripDocument(response.body.json, paths) }
  }
  if (response.stream) {
    out.stream = {
      ...response.stream,
      events: dropEvents
        ? []
        : response.stream.events.map((event) =>
            event.json === undefined ? event : { ...event, json: stripDocument(event.json, paths) },
          ),
    }
  }
  return out
}

/** Remove the paths from a document, and from each element when it is an array (Gemini's JSON stream). */
function stripDocument(json: JsonValue, paths: readonly CompiledPath[]): JsonValue {
  const whole = removePaths(json, paths)
  return Array.isArray(whole) ? whole.map((item) => removePaths(item, paths)) : whole
}

/**
 * Live volatile string → the recorded one it stands for, from the model answers paired by
 * correlation id (build-run.ts gives a paired live exchange the recorded id).
 */
function volatileAliases(recorded: Run, live: Run): Map<string, string> {
  const aliases = new Map<string, string>()
  const answers = new Map<string, Step>()
  for (const step of recorded.steps) if (step.kind === 'model.response') answers.set(step.correlationId, step)
  for (const step of live.steps) {
    if (step.kind !== 'model.response') continue
    const before = answers.get(step.correlationId)
    if (before?.kind !== 'model.response' || before.provider !== step.provider) continue
    for (const path of volatileOf(step)) {
      const was = volatileValues(before.response, path)
      const now = volatileValues(step.response, path)
      now.forEach((value, i) => {
        const old = was[i]
        if (old !== undefined && old !== value && !aliases.has(value)) aliases.set(value, old)
      })
    }
  }
  return aliases
}

/** The distinct strings a path selects in a response's documents, in order. */
function volatileValues(response: HttpResponseData, path: CompiledPath): string[] {
  const seen = new Set<string>()
  const visit = (value: JsonValue): JsonValue => {
    if (typeof value === 'string') seen.add(value)
    return value
  }
  const collect = (document: JsonValue): void => {
    select(document, path, visit)
    if (Array.isArray(document)) for (const item of document) select(item, path, visit)
  }
  if (response.body && 'json' in response.body) collect(response.body.json)
  for (const event of response.stream?.events ?? []) if (event.json !== undefined) collect(event.json)
  return [...seen]
}

/**
 * Visit the members a path selects. The adapters' paths have no `..`: they are followed
 * member by member, without copying the document (a long run has thousands of answers).
 */
function select(document: JsonValue, path: CompiledPath, visit: (value: JsonValue) => JsonValue): void {
  if (path.selectors.some((selector) => selector.deep)) {
    replacePaths(document, [path], visit)
    return
  }
  const walk = (value: JsonValue, at: number): void => {
    const selector = path.selectors[at]
    if (!selector) {
      visit(value)
      return
    }
    if (value === null || typeof value !== 'object') return
    if (selector.type === 'any') {
      for (const child of Array.isArray(value) ? value : Object.values(value)) walk(child, at + 1)
    } else if (selector.type === 'index') {
      if (Array.isArray(value) && selector.index < value.length) walk(value[selector.index] as JsonValue, at + 1)
    } else if (!Array.isArray(value) && Object.hasOwn(value, selector.key)) {
      walk(value[selector.key] as JsonValue, at + 1)
    }
  }
  walk(document, 0)
}

/** The step with every live volatile string replaced by its recorded alias (and inside the URL). */
function aliased(step: Step, aliases: Map<string, string> | undefined): Step {
  if (!aliases || aliases.size === 0) return step
  const { timing, ...rest } = step
  let out = swap(rest as unknown as JsonValue, aliases) as unknown as Step
  if (out.kind === 'http.request' || out.kind === 'model.request') {
    // Ids in a URL (`GET /v1/responses/resp_…`) are whole path segments or query values: one lookup each.
    const url = out.request.url.replace(/[^/?&=#]+/g, (part) => aliases.get(part) ?? part)
    if (url !== out.request.url) out = { ...out, request: { ...out.request, url } }
  }
  if (out === (rest as unknown as Step)) return step
  return timing ? { ...out, timing } : out
}

/** The value with aliased strings replaced; unchanged parts are shared, not copied. */
function swap(value: JsonValue, aliases: Map<string, string>): JsonValue {
  if (typeof value === 'string') return aliases.get(value) ?? value
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) {
    let out: JsonValue[] | undefined
    value.forEach((item, i) => {
      const swapped = swap(item, aliases)
      if (swapped === item) return
      out ??= value.slice()
      out[i] = swapped
    })
    return out ?? value
  }
  let out: { [key: string]: JsonValue } | undefined
  for (const key of Object.keys(value)) {
    const item = value[key] as JsonValue
    const swapped = swap(item, aliases)
    if (swapped === item) continue
    out ??= { ...value }
    if (key === '__proto__') {
      Object.defineProperty(out, key, { value: swapped, enumerable: true, writable: true, configurable: true })
    } else out[key] = swapped
  }
  return out ?? value
}
