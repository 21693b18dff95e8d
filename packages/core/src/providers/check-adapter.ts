/**
 * The shape check of a user's provider adapter, done once when it is registered: a missing
 * method would otherwise surface as a TypeError in the middle of someone's capture.
 */
import { AdapterShapeError } from '../errors/classes.js'

/** Same pattern as the schema's `provider` (artifact/schema/v1.ts): what a recording can hold. */
export const PROVIDER_NAME: RegExp = /^[a-z][a-z0-9._-]*$/

const METHODS = ['endpointFor', 'summarizeRequest', 'summarizeResponse', 'refusalBody', 'promptText'] as const
const FIELD_LISTS = ['prompt', 'tools', 'toolCalls'] as const

/** Throws AdapterShapeError (RPK_BAD_ADAPTER) naming the first thing wrong with `value`. */
export function checkAdapter(value: unknown, where: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badAdapter(where, `expected an adapter object, got ${describe(value)}`)
  }
  const adapter = value as Record<string, unknown>
  const provider = adapter.provider
  if (typeof provider !== 'string' || !PROVIDER_NAME.test(provider)) {
    throw badAdapter(
      where,
      `provider must be a lower-case name matching ${PROVIDER_NAME} (it is written into every step), got ${describe(provider)}`,
    )
  }
  for (const method of METHODS) {
    if (typeof adapter[method] !== 'function') {
      throw badAdapter(where, `${provider}: ${method} must be a function, got ${describe(adapter[method])}`)
    }
  }
  const fields = adapter.fields
  if (typeof fields !== 'object' || fields === null) {
    throw badAdapter(where, `${provider}: fields must be {prompt, tools, toolCalls}, got ${describe(fields)}`)
  }
  for (const list of FIELD_LISTS) {
    const names = (fields as Record<string, unknown>)[list]
    if (!Array.isArray(names) || !names.every((name) => typeof name === 'string')) {
      throw badAdapter(where, `${provider}: fields.${list} must be an array of strings, got ${describe(names)}`)
    }
  }
  // @note Extra members are allowed: an adapter may keep its own helpers on it (a class instance),
  // and a misspelt required method is caught above as missing.
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return JSON.stringify(value)
  return typeof value
}

/** RPK_BAD_ADAPTER naming where the adapter was given and what is wrong with it. */
function badAdapter(where: string, problem: string): AdapterShapeError {
  return new AdapterShapeError(`Failed to register the provider adapter: ${problem}`, { file: where })
}
