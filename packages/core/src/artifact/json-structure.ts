/**
 * One pass over the text of a `.rpk`, after `JSON.parse` accepted it, for what
 * JSON allows but a recording must not hold:
 *
 * - a member name twice in one object (`JSON.parse` keeps the last; a reviewer
 *   reads the first, so the loader would replay something nobody reviewed);
 * - nesting deeper than {@link MAX_JSON_DEPTH} (every walker over a recording,
 *   the hash, the diff, the schema check, recurses per level);
 * - a number that does not read back as itself (`1e400`, integers past 2^53).
 *
 * @note Fast because files written by ReplayKit have sorted keys: a key greater
 * than the one before it in the same object cannot repeat an earlier one, so
 * only the two raw key texts are compared, without making strings. An object
 * whose keys are not in order (a hand edit) falls back to a set of its keys.
 * It reads the UTF-8 bytes, not the decoded string: a tight loop over bytes
 * is about twice as fast as one over `charCodeAt`, and every structural
 * character is ASCII, which no multi-byte sequence contains. Numbers are
 * converted only when they could be inexact (exact-number.ts). It takes about
 * as long as `JSON.parse` of the same text (30 ms for a 17 MB file).
 */
import { isExactNumber } from './exact-number.js'
import type { PathSegment } from './json-path.js'

/**
 * The deepest nesting a recording may have, counted from the file's root
 * object (a run's body JSON starts about 8 levels down).
 */
export const MAX_JSON_DEPTH = 512

export interface StructureProblem {
  kind: 'duplicate' | 'depth' | 'number'
  /** JSON path of the duplicate member, the too-deep value or the number. */
  path: PathSegment[]
  /** Offset in the text where it starts. */
  offset: number
  /** The number as written, for `number`. */
  token?: string
}

const OBJECT = 1
const ARRAY = 2

/**
 * Nesting a recorded body's JSON may have: the file's limit less the levels a
 * body sits under (a stream event's JSON is 10 levels down).
 */
export const MAX_BODY_JSON_DEPTH: number = MAX_JSON_DEPTH - 16

export interface StructureOptions {
  maxDepth?: number
  /** Look for duplicate members too (default true). */
  keys?: boolean
}

/** The first problem in `bytes` (the UTF-8 of valid JSON), or undefined. */
export function findStructureProblem(bytes: Uint8Array, options: StructureOptions = {}): StructureProblem | undefined {
  return new Scanner(bytes, options.maxDepth ?? MAX_JSON_DEPTH, options.keys !== false).run()
}

/**
 * True when JSON text parses to a value that writes back as the same data:
 * every number reads back exactly and the nesting stays within what a
 * recording may hold. A recorder stores a body that fails this as its text, so
 * replay gives the server's own bytes. Duplicate members are not looked for.
 */
export function isFaithfulJson(bytes: Uint8Array): boolean {
  return findStructureProblem(bytes, { maxDepth: MAX_BODY_JSON_DEPTH, keys: false }) === undefined
}

const utf8 = new TextDecoder()

class Scanner {
  private depth = 0
  /** Per open container, by depth (1 = the root): its kind, array index, last key's raw span. */
  private readonly kind: number[] = [0]
  private readonly index: number[] = [0]
  private readonly keyStart: number[] = [0]
  private readonly keyEnd: number[] = [0]
  /** Key spans of each open object while its keys are in order; a set of its keys once they are not. */
  private readonly spans: number[][] = [[]]
  private readonly sets: Array<Set<string> | undefined> = [undefined]

  constructor(
    private readonly bytes: Uint8Array,
    private readonly maxDepth: number,
    private readonly checkKeys: boolean,
  ) {}

  run(): StructureProblem | undefined {
    const bytes = this.bytes
    const n = bytes.length
    let expectKey = false
    let i = 0
    while (i < n) {
      const c = bytes[i] as number
      if (c === 32 || c === 10) {
        // Indentation is half of a file's text: a loop of its own.
        i++
        while (bytes[i] === 32) i++
      } else if (c === 34) {
        const start = i + 1
        let end = start
        for (;;) {
          const d = bytes[end]
          if (d === 34 || d === undefined) break
          end += d === 92 ? 2 : 1
        }
        if (expectKey) {
          expectKey = false
          this.keyStart[this.depth] = start
          this.keyEnd[this.depth] = end
          if (this.checkKeys && this.key(start, end))
            return { kind: 'duplicate', path: this.path(this.depth), offset: i }
        }
        i = end + 1
      } else if (c === 123 || c === 91) {
        const depth = ++this.depth
        if (depth > this.maxDepth) return { kind: 'depth', path: this.path(depth - 1), offset: i }
        this.open(depth, c === 123 ? OBJECT : ARRAY)
        expectKey = c === 123
        i++
      } else if (c === 125 || c === 93) {
        this.depth--
        expectKey = false
        i++
      } else if (c === 44) {
        if (this.kind[this.depth] === OBJECT) expectKey = true
        else (this.index[this.depth] as number)++
        i++
      } else if (c === 45 || (c >= 48 && c <= 57)) {
        let j = i + 1
        let exponent = false
        while (j < n) {
          const d = bytes[j] as number
          if ((d >= 48 && d <= 57) || d === 46 || d === 43 || d === 45) j++
          else if (d === 101 || d === 69) {
            exponent = true
            j++
          } else break
        }
        // Converted only when it could be inexact: most numbers are short and plain.
        if (j - i > 15 || exponent) {
          const token = utf8.decode(bytes.subarray(i, j))
          if (!isExactNumber(token)) return { kind: 'number', path: this.path(this.depth), offset: i, token }
        }
        i = j
      } else i++
    }
    return undefined
  }

  private open(depth: number, kind: number): void {
    this.kind[depth] = kind
    this.index[depth] = 0
    this.keyStart[depth] = 0
    this.keyEnd[depth] = 0
    if (kind !== OBJECT) return
    const spans = this.spans[depth]
    if (spans === undefined) this.spans[depth] = []
    else spans.length = 0
    this.sets[depth] = undefined
  }

  /** Records a key of the innermost object; true when the object already has it. */
  private key(start: number, end: number): boolean {
    const depth = this.depth
    const set = this.sets[depth]
    if (set !== undefined) {
      const name = this.decode(start, end)
      if (set.has(name)) return true
      set.add(name)
      return false
    }
    const spans = this.spans[depth] as number[]
    const count = spans.length
    if (count === 0 || this.compare(spans[count - 2] as number, spans[count - 1] as number, start, end) < 0) {
      spans.push(start, end)
      return false
    }
    // Out of order: from here on, this object's keys go into a set.
    const names = new Set<string>()
    for (let k = 0; k < count; k += 2) names.add(this.decode(spans[k] as number, spans[k + 1] as number))
    this.sets[depth] = names
    const name = this.decode(start, end)
    if (names.has(name)) return true
    names.add(name)
    return false
  }

  /**
   * Order of two raw keys as their decoded strings sort (UTF-16 code units).
   * Equal ASCII bytes are equal characters; at an escape or a non-ASCII byte
   * (UTF-8 byte order is not UTF-16 order) the keys are decoded and compared.
   */
  private compare(aStart: number, aEnd: number, bStart: number, bEnd: number): number {
    const bytes = this.bytes
    const aLength = aEnd - aStart
    const bLength = bEnd - bStart
    const length = aLength < bLength ? aLength : bLength
    for (let k = 0; k < length; k++) {
      const a = bytes[aStart + k] as number
      const b = bytes[bStart + k] as number
      if (a === 92 || b === 92 || a >= 128 || b >= 128) {
        const x = this.decode(aStart, aEnd)
        const y = this.decode(bStart, bEnd)
        return x < y ? -1 : x > y ? 1 : 0
      }
      if (a !== b) return a - b
    }
    // One is a prefix of the other: an escape after the common part only makes the longer one longer.
    return aLength - bLength
  }

  private decode(start: number, end: number): string {
    const raw = utf8.decode(this.bytes.subarray(start, end))
    return raw.indexOf('\\') < 0 ? raw : (JSON.parse(`"${raw}"`) as string)
  }

  /** Path of the value being read in the container at `depth` (its key or index), from the root. */
  private path(depth: number): PathSegment[] {
    const segments: PathSegment[] = []
    for (let d = 1; d <= depth; d++) {
      if (this.kind[d] === OBJECT) segments.push(this.decode(this.keyStart[d] as number, this.keyEnd[d] as number))
      else segments.push(this.index[d] as number)
    }
    return segments
  }
}
