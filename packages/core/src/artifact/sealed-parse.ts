/**
 * Parsing a sealed `.rpk` (text-hash.ts) run by run instead of as one text.
 *
 * Decoding 17 MB of UTF-8 makes one string of 17 to 34 MB (two bytes a
 * character as soon as one character is not ASCII), and on the machines we
 * measured, touching that much fresh memory costs more than parsing it. Run by
 * run, each string is a few hundred kB, and the memory of one is reused for the
 * next: decode and parse took about a third less CPU for 10,000 steps.
 *
 * @note Only for sealed bytes: the split relies on the writer's layout (2-space
 * indent, one member a line, strings escaped so that no line break is inside
 * one), where a line of `runs` that starts with four spaces and a quote opens a
 * run, and the first line `  }` after `"runs": {` closes `runs`. Anything that is
 * not that layout makes it answer undefined, and the caller parses the whole text.
 */
const decoder = new TextDecoder('utf-8')

const RUNS_OPEN = Buffer.from('\n  "runs": {\n')
const RUN_START = Buffer.from('\n    "')
const RUNS_CLOSE = Buffer.from('\n  }')
const KEY_LINE_END = '": {'
const NEWLINE = 10

/** The parsed file, or undefined when the bytes are not in the writer's layout. */
export function parseSealed(bytes: Uint8Array): unknown {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const open = buffer.indexOf(RUNS_OPEN)
  if (open < 0) return undefined
  // `{` of runs, and the line break before `  }` that closes it. (No run at all is `"runs": {}`,
  // which does not match RUNS_OPEN: such a small file is parsed whole.)
  const runsStart = open + RUNS_OPEN.length - 2
  const runsEnd = buffer.indexOf(RUNS_CLOSE, runsStart)
  if (runsEnd < 0) return undefined
  const before = decoder.decode(buffer.subarray(0, runsStart))
  const after = decoder.decode(buffer.subarray(runsEnd + RUNS_CLOSE.length))
  const file = JSON.parse(`${before}{}${after}`) as { runs?: unknown }
  if (typeof file !== 'object' || file === null || typeof file.runs !== 'object' || file.runs === null) return undefined
  const runs = file.runs as Record<string, unknown>
  let at = runsStart + 1 // the line break before the first run's key line
  while (at < runsEnd) {
    if (buffer.compare(RUN_START, 0, RUN_START.length, at, at + RUN_START.length) !== 0) return undefined
    const lineEnd = buffer.indexOf(NEWLINE, at + 1)
    const keyLine = decoder.decode(buffer.subarray(at + 1, lineEnd))
    if (!keyLine.endsWith(KEY_LINE_END)) return undefined
    const key = JSON.parse(keyLine.slice(4, keyLine.length - KEY_LINE_END.length + 1)) as string
    const next = buffer.indexOf(RUN_START, lineEnd)
    const stop = next < 0 || next > runsEnd ? runsEnd : next
    // The run's value: from `{` at the end of the key line to its `}`, less the `,` between runs.
    const valueEnd = buffer[stop - 1] === 0x2c ? stop - 1 : stop
    const value = JSON.parse(decoder.decode(buffer.subarray(lineEnd - 1, valueEnd)))
    // A member named "__proto__" must stay a member (as JSON.parse keeps it), not set the prototype.
    Object.defineProperty(runs, key, { value, enumerable: true, writable: true, configurable: true })
    at = stop
  }
  return file
}
