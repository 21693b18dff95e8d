/**
 * Checking options where they are given: `capture(fn, options)`, the plugin
 * and preset options, environment values. A typo (`mode: 'strcit'`,
 * `pacin: 'recorded'`) must never fall back to a default: in CI a mode that
 * silently became something else is a request that leaves the process.
 *
 * Each failure is an RPK_BAD_CONFIG naming the option, the value and what is
 * allowed, with a "did you mean" for a near miss.
 */
import { BadConfigError } from '../errors/classes.js'
import type { ReplayKitError } from '../errors.js'

/** Returns what is allowed when `value` is not, else undefined. `name` and `where` are for nested checks. */
export type Check = (value: unknown, name: string, where: string) => string | undefined

export type Shape = Record<string, Check>

/** One of a closed list of strings. */
export function oneOf(values: readonly string[]): Check {
  return (value) => (typeof value === 'string' && values.includes(value) ? undefined : `one of: ${values.join(', ')}`)
}

export const isBoolean: Check = (value) => (typeof value === 'boolean' ? undefined : 'true or false')
export const isString: Check = (value) => (typeof value === 'string' ? undefined : 'a string')
export const isFunction: Check = (value) => (typeof value === 'function' ? undefined : 'a function')
export const isPositiveInteger: Check = (value) =>
  Number.isInteger(value) && (value as number) >= 1 ? undefined : 'an integer of at least 1'
export const isStringList: Check = (value) =>
  Array.isArray(value) && value.every((item) => typeof item === 'string') ? undefined : 'a list of strings'
export const isPatternList: Check = (value) =>
  Array.isArray(value) && value.every((item) => isRegExp(item) || typeof item === 'string')
    ? undefined
    : 'a list of regular expressions (or their source strings)'
export const isRegExpList: Check = (value) =>
  Array.isArray(value) && value.every(isRegExp) ? undefined : 'a list of regular expressions'

/** A nested object of known keys. */
export function isObject(shape: Shape): Check {
  return (value, name, where) => {
    if (!isPlainObject(value)) return `an object with ${Object.keys(shape).join(', ')}`
    checkShape(value, shape, where, `${name}.`)
    return undefined
  }
}

/** Either `false` or a value that passes `check`. */
export function orFalse(check: Check): Check {
  return (value, name, where) => {
    if (value === false) return undefined
    const allowed = check(value, name, where)
    return allowed ? `false or ${allowed}` : undefined
  }
}

/**
 * Check `options` against `shape`: unknown keys and wrong values throw.
 * `where` names the place in messages (e.g. `capture() options`).
 */
export function checkOptions(options: unknown, shape: Shape, where: string): void {
  if (options === undefined) return
  if (!isPlainObject(options)) throw badValue(where, where, options, 'an object')
  checkShape(options, shape, where, '')
}

function checkShape(options: Record<string, unknown>, shape: Shape, where: string, prefix: string): void {
  for (const [key, value] of Object.entries(options)) {
    const check = shape[key]
    const name = `${prefix}${key}`
    if (!check) {
      const known = Object.keys(shape)
      const near = nearest(key, known)
      throw new BadConfigError(
        `Failed to read ${where}: unknown option ${quote(name)} (value ${show(value)}); allowed options: ${known.join(', ')}.${near ? ` Did you mean ${quote(near)}?` : ''}`,
        { file: where, hint: near ? `rename ${quote(key)} to ${quote(near)}.` : `use one of: ${known.join(', ')}.` },
      )
    }
    if (value === undefined) continue
    const allowed = check(value, name, where)
    if (allowed) throw badValue(where, name, value, allowed)
  }
}

/** The error for one wrong value: for options and environment variables alike. */
export function badValue(where: string, name: string, value: unknown, allowed: string): ReplayKitError {
  const choices = allowed.startsWith('one of: ') ? allowed.slice('one of: '.length).split(', ') : []
  const near = typeof value === 'string' ? nearest(value, choices) : undefined
  return new BadConfigError(
    `Failed to read ${where}: ${name} is ${show(value)}; allowed: ${allowed}.${near ? ` Did you mean ${quote(near)}?` : ''}`,
    { file: where, hint: `use ${allowed}${near ? ` (${quote(near)}?)` : ''}.` },
  )
}

/** @note Not `instanceof`: a Jest test's RegExp comes from the sandbox's realm. */
function isRegExp(value: unknown): boolean {
  return Object.prototype.toString.call(value) === '[object RegExp]'
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function quote(text: string): string {
  return JSON.stringify(text)
}

function show(value: unknown): string {
  if (typeof value === 'function') return 'a function'
  if (isRegExp(value)) return String(value)
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

/** The closest candidate within two edits (case-insensitive), for "did you mean". */
function nearest(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = 3
  for (const candidate of candidates) {
    const distance = editDistance(input.toLowerCase(), candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      )
    }
    previous = current
  }
  return previous[b.length] as number
}
