/**
 * Schema validation of a parsed `.rpk`. A valid value is recognised by a fast
 * check compiled from the schema (schema-check.ts); anything else goes to Ajv
 * (draft 2020-12), compiled once per process and only then, which reports the
 * first violation with its JSON path.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import { formatJsonPath, pointerSegments } from './json-path.js'
import { rpkSchemaV1 } from './schema/v1.js'
import { type Check, compileSchemaCheck } from './schema-check.js'

let compiled: ValidateFunction | undefined
let fastCheck: Check | undefined

export interface SchemaViolation {
  /** JSON path of the offending value, e.g. `$.runs["a 1"].steps[0].kind`. */
  path: string
  message: string
}

/** Returns the first violation, or undefined when the value follows the schema. */
export function validateRpk(value: unknown): SchemaViolation | undefined {
  fastCheck ??= fastCheckOf(rpkSchemaV1)
  if (fastCheck(value)) return undefined
  compiled ??= new Ajv2020({ allErrors: false, strict: false }).compile(rpkSchemaV1)
  if (compiled(value)) return undefined
  const error = compiled.errors?.[0]
  if (!error) return { path: '$', message: 'does not follow the schema' }
  const segments = pointerSegments(error.instancePath)
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

/** The fast check, or (for a schema using a keyword it does not implement: a test fails then) none, and Ajv decides. */
function fastCheckOf(schema: unknown): Check {
  try {
    return compileSchemaCheck(schema)
  } catch {
    return () => false
  }
}
