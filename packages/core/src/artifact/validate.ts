/**
 * Schema validation of a parsed `.rpk` with Ajv (draft 2020-12), reporting the
 * first violation with its JSON path.
 *
 * @note The validator is Ajv's standalone code for the schema, generated at
 * development time (scripts/generate-validator.mjs): compiling the schema took
 * longer in each test worker than validating a 10,000-step file does. It is a
 * CommonJS file of its own (~210 KB), required on the first validation: a
 * process that imports core's root and never validates (the CLI's read
 * commands, a worker whose recording is sealed) neither reads nor parses it.
 * The build copies it next to the bundle (rolldown's `new URL(…, import.meta.url)`
 * assets, scripts/build-package.mjs), so the same line finds it in src/ and dist/.
 */
import { fileURLToPath } from 'node:url'
import { requireDependency } from '../lazy-deps.js'
import { formatJsonPath, pointerSegments } from './json-path.js'

/** What a validator returns and leaves on itself; typed here so that no runtime or type import of ajv remains. */
interface ValidateFunction {
  (data: unknown): boolean
  errors?: Array<{ instancePath: string; keyword: string; message?: string; params: Record<string, unknown> }> | null
}

let wholeFile: ValidateFunction | undefined
let entry: ValidateFunction | undefined

// The literal `new URL('./…', import.meta.url)` is what rolldown rewrites to the copied file's place;
// each validator is required on first use (synchronously: parseRpk and the writers are synchronous).
function wholeFileValidator(): ValidateFunction {
  wholeFile ??= required(new URL('./schema/v1-validate.generated.cjs', import.meta.url))
  return wholeFile
}

function entryValidator(): ValidateFunction {
  entry ??= required(new URL('./schema/v1-entry-validate.generated.cjs', import.meta.url))
  return entry
}

function required(url: URL): ValidateFunction {
  return requireDependency<ValidateFunction>(fileURLToPath(url))
}

export interface SchemaViolation {
  /** JSON path of the offending value, e.g. `$.runs["a 1"].steps[0].kind`. */
  path: string
  message: string
}

/** Returns the first violation, or undefined when the value follows the schema. */
export function validateRpk(value: unknown): SchemaViolation | undefined {
  return firstViolation(wholeFileValidator(), value)
}

/**
 * True when a file follows the schema: the answer of `validateRpk(file) === undefined`, from the
 * whole-file validator over the file's top level alone (its runs and blobs left empty) and the
 * entry validator, which holds the same schema's runs and blobs, over those. For the writer, which
 * needs only yes or no to seal a file (write.ts); a load that reports a path uses `validateRpk`.
 *
 * @note Why not the whole-file validator: V8 optimises a function only after some calls, and the
 * whole-file one is a single 205 KB function that it optimised only at about its seventh call
 * over a 10,000-step file (100, 60, 100, 55, 45 ms, then 14), where the entry validator's small
 * functions were optimised by the third (100, 65, then 8 to 15 ms). A process that writes a large
 * file more than twice (the gateway's compactions, `replaykit` commands over many files, a worker
 * that runs several test files) validates it in a tenth of the time from the third write on; the
 * first two cost the same.
 */
export function followsSchema(file: { runs: unknown; blobs?: unknown }): boolean {
  const { runs, blobs, ...top } = file
  const outline = blobs === undefined ? { ...top, runs: {} } : { ...top, runs: {}, blobs: {} }
  if (!wholeFileValidator()(outline)) return false
  return entryValidator()(blobs === undefined ? { runs } : { runs, blobs })
}

/** True when runs (with no blobs) follow the schema: `followsSchema`'s runs part, for some of them. */
export function followsRuns(runs: Record<string, unknown>): boolean {
  return entryValidator()({ runs })
}

/**
 * The same check for what one journal entry holds, `{ runs, blobs? }` (the file's other members
 * left out), by a validator made of small functions: the whole-file one is a single 205 KB
 * function, and a long-lived writer (the gateway) that checked every entry with it had V8's
 * optimising compiler take 11-16 MB of native memory that it kept (docs/performance.md).
 */
export function validateJournalEntry(value: {
  runs: Record<string, unknown>
  blobs?: unknown
}): SchemaViolation | undefined {
  return firstViolation(entryValidator(), value)
}

function firstViolation(compiled: ValidateFunction, value: unknown): SchemaViolation | undefined {
  if (compiled(value)) return undefined
  const error = compiled.errors?.[0]
  if (!error) return { path: '$', message: 'does not follow the schema' }
  const segments = pointerSegments(error.instancePath)
  const name = (error as { propertyName?: string }).propertyName
  if (name !== undefined) {
    segments.push(name)
    return { path: formatJsonPath(segments), message: `is not an allowed member name here (${error.message})` }
  }
  if (error.keyword === 'additionalProperties') {
    segments.push(String((error.params as { additionalProperty: string }).additionalProperty))
    return { path: formatJsonPath(segments), message: 'is not a known member' }
  }
  if (error.keyword === 'required') {
    segments.push(String((error.params as { missingProperty: string }).missingProperty))
    return { path: formatJsonPath(segments), message: 'is required but missing' }
  }
  const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues
  const detail = allowed ? `${error.message}: ${allowed.map((v) => JSON.stringify(v)).join(', ')}` : error.message
  return { path: formatJsonPath(segments), message: detail ?? 'is not valid' }
}
