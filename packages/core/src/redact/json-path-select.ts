/**
 * JSON paths that select members of a value: redaction paths (`$.user.email`)
 * and the matcher's ignore paths (`messages[*].id`).
 *
 * Supported: `$` (the root, optional), `.key`, `["key"]` / `['key']`, `[0]`,
 * `[*]`, `.*`, and `..` (any depth: `$..password`). A path is compiled once
 * into selectors, then run as a tiny automaton while a value is walked, so a
 * walk costs one pass whatever the number of paths.
 */
import type { PathSegment } from '../artifact/json-path.js'
import type { JsonValue } from '../artifact/types.js'
import { BadConfigError } from '../errors/classes.js'

/** One step of a path: a member name, an array index, or any member. */
export type PathSelector =
  | { type: 'key'; key: string; deep: boolean }
  | { type: 'index'; index: number; deep: boolean }
  | { type: 'any'; deep: boolean }

/** A parsed path, ready to match. `deep` selectors (after `..`) may skip any number of levels first. */
export interface CompiledPath {
  /** The path as written. */
  source: string
  selectors: readonly PathSelector[]
}

const HINT = 'write paths like $.user.email, items[*].token, $["odd key"][0] or $..password'

/**
 * Parse a JSON path. `where` names the option it came from, for the error.
 *
 * @throws ReplayKitError `RPK_BAD_CONFIG` naming the path and the position of the mistake.
 * @example compileJsonPath('items[*].token').selectors // [key items, any, key token]
 */
export function compileJsonPath(path: string, where?: string): CompiledPath {
  return { source: path, selectors: new PathParser(path, where).parse() }
}

class PathParser {
  private pos = 0
  private readonly selectors: PathSelector[] = []

  constructor(
    private readonly text: string,
    private readonly where: string | undefined,
  ) {}

  parse(): PathSelector[] {
    const text = this.text
    if (text.trim() === '') this.fail('the path is empty')
    if (text[0] === '$') this.pos = 1
    else if (text[0] !== '.' && text[0] !== '[') this.readName(false) // `user.email` means `$.user.email`
    while (this.pos < text.length) {
      const char = text[this.pos]
      if (char === '.') {
        const deep = text[this.pos + 1] === '.'
        this.pos += deep ? 2 : 1
        if (text[this.pos] === '[' && deep) this.readBracket(true)
        else this.readName(deep)
      } else if (char === '[') {
        this.readBracket(false)
      } else {
        this.fail(`expected "." or "[" but found "${char}"`)
      }
    }
    return this.selectors
  }

  private readName(deep: boolean): void {
    const rest = this.text.slice(this.pos)
    if (rest[0] === '*') {
      this.selectors.push({ type: 'any', deep })
      this.pos += 1
      return
    }
    const name = /^[^.[\]\s*'"]+/.exec(rest)?.[0]
    if (!name) this.fail('expected a member name')
    this.selectors.push({ type: 'key', key: name, deep })
    this.pos += name.length
  }

  private readBracket(deep: boolean): void {
    const start = this.pos
    const inner = this.text.slice(start + 1)
    const quote = inner[0]
    if (quote === '"' || quote === "'") {
      let key = ''
      let i = 1
      for (; i < inner.length && inner[i] !== quote; i++) {
        // A backslash escapes the next character (a quote or a backslash).
        if (inner[i] === '\\' && i + 1 < inner.length) i++
        key += inner[i]
      }
      if (inner[i] !== quote || inner[i + 1] !== ']') this.fail('unterminated quoted name')
      this.selectors.push({ type: 'key', key, deep })
      this.pos = start + 1 + i + 2
      return
    }
    const close = inner.indexOf(']')
    if (close < 0) this.fail('missing "]"')
    const body = inner.slice(0, close).trim()
    if (body === '*') this.selectors.push({ type: 'any', deep })
    else if (/^(0|[1-9]\d*)$/.test(body)) this.selectors.push({ type: 'index', index: Number(body), deep })
    else this.fail(`"[${body}]" is not an index, * or a quoted name`)
    this.pos = start + 1 + close + 1
  }

  private fail(why: string): never {
    throw new BadConfigError(
      `Failed to read the JSON path ${JSON.stringify(this.text)}: ${why} (at character ${this.pos + 1})`,
      this.where === undefined ? { hint: HINT } : { file: this.where, hint: HINT },
    )
  }
}

/**
 * Matching state while walking a value: for each path, the selectors still
 * waiting (an NFA over path segments). Packed as `path * 65536 + selector`.
 */
export type PathState = readonly number[]

const STRIDE = 65_536

/** Runs several compiled paths at once over the members of a value. */
export class PathMatcher {
  constructor(private readonly paths: readonly CompiledPath[]) {}

  /** The state at the root of a value. */
  root(): PathState {
    return this.paths.map((_, p) => p * STRIDE)
  }

  /** The state at a member; empty when no path can match it or anything below it. */
  child(state: PathState, segment: PathSegment): PathState {
    const next: number[] = []
    for (const packed of state) {
      const p = Math.floor(packed / STRIDE)
      const s = packed % STRIDE
      const selector = this.paths[p]?.selectors[s]
      if (!selector) continue
      // A deep selector may also skip this level and wait for a deeper one.
      if (selector.deep && !next.includes(packed)) next.push(packed)
      if (selects(selector, segment) && !next.includes(packed + 1)) next.push(packed + 1)
    }
    return next
  }

  /** True when a path selects exactly this member. */
  matched(state: PathState): boolean {
    for (const packed of state) {
      if (packed % STRIDE === this.paths[Math.floor(packed / STRIDE)]?.selectors.length) return true
    }
    return false
  }
}

function selects(selector: PathSelector, segment: PathSegment): boolean {
  if (selector.type === 'any') return true
  if (selector.type === 'index') return segment === selector.index
  return segment === selector.key
}

/** Drop the member from the copy (removePaths). */
const REMOVE: unique symbol = Symbol('remove')

/**
 * A deep copy of a value without the members the paths select. Removing the
 * root (`$`) gives `null`; array elements removed shift the rest down.
 *
 * @example removePaths({ id: 'x1', model: 'm' }, [compileJsonPath('$.id')]) // { model: 'm' }
 */
export function removePaths(value: JsonValue, paths: readonly CompiledPath[]): JsonValue {
  const out = transform(value, new PathMatcher(paths), undefined, () => REMOVE, [])
  return out === REMOVE ? null : out
}

/**
 * A deep copy of a value with each selected member replaced by what `replacer`
 * returns for it (members that do not exist are not created).
 *
 * @example replacePaths(body, [compileJsonPath('user.email')], () => '[REDACTED:path]')
 */
export function replacePaths(
  value: JsonValue,
  paths: readonly CompiledPath[],
  replacer: (value: JsonValue, path: readonly PathSegment[]) => JsonValue,
): JsonValue {
  return transform(value, new PathMatcher(paths), undefined, replacer, []) as JsonValue
}

function transform(
  value: JsonValue,
  matcher: PathMatcher,
  state: PathState | undefined,
  onMatch: (value: JsonValue, path: readonly PathSegment[]) => JsonValue | typeof REMOVE,
  path: PathSegment[],
): JsonValue | typeof REMOVE {
  const here = state ?? matcher.root()
  if (matcher.matched(here)) return onMatch(value, [...path])
  if (value === null || typeof value !== 'object') return value
  // No path can match below: copy without looking further.
  if (here.length === 0) return copyJson(value)
  if (Array.isArray(value)) {
    const items: JsonValue[] = []
    value.forEach((item, i) => {
      path.push(i)
      const out = transform(item, matcher, matcher.child(here, i), onMatch, path)
      path.pop()
      if (out !== REMOVE) items.push(out)
    })
    return items
  }
  const members: { [key: string]: JsonValue } = {}
  for (const key of Object.keys(value)) {
    path.push(key)
    const out = transform(value[key] as JsonValue, matcher, matcher.child(here, key), onMatch, path)
    path.pop()
    if (out !== REMOVE) setMember(members, key, out)
  }
  return members
}

/** A deep copy of a JSON value. */
export function copyJson(value: JsonValue): JsonValue {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(copyJson)
  const out: { [key: string]: JsonValue } = {}
  for (const key of Object.keys(value)) setMember(out, key, copyJson(value[key] as JsonValue))
  return out
}

/** Assign a member, `__proto__` included (JSON.parse makes it an own member; plain assignment would not). */
export function setMember(target: { [key: string]: JsonValue }, key: string, value: JsonValue): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
  else target[key] = value
}
