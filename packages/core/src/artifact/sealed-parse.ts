/**
 * Parsing a sealed `.rpk` (text-hash.ts) piece by piece instead of as one text.
 *
 * On the machines we measured, what a decode and `JSON.parse` cost is mostly
 * the memory of the strings they make, not the parsing. A string over V8's
 * regular object size (128 kB) is a large object: fresh pages, mapped for it
 * and unmapped at the next collection, which costs about 2.5 ms per MB here.
 * Smaller strings live in the young generation, whose memory is reused piece
 * after piece. Decoding the 17 MB file of 10,000 steps as one text took about
 * 120 ms and a run (170 kB) at a time about 70 ms; step by step, 3 ms. So a
 * run is parsed as its members without the steps, then its steps in groups of
 * about PIECE_BYTES.
 *
 * Why about 104 kB and not smaller: V8's JSON.parse puts what it builds from a
 * text of 100 k characters or more straight in the old generation; from a
 * smaller text the young one, and every object then survives and is copied by
 * the collector (pieces of 48 kB made benchmark 3's back-to-back loads slower
 * than whole runs, though a single load was faster). A piece just over 100 k
 * characters gets both: a young string, objects built where they will live.
 *
 * @note Only for sealed bytes: the split relies on the writer's layout (2-space
 * indent, one member a line, strings escaped so that no line break is inside
 * one), where a line of `runs` that starts with four spaces and a quote opens a
 * run, the first line `  }` after `"runs": {` closes `runs`, a run's steps are
 * the lines from `      "steps": [` to the first `      ]`, a step ends with a
 * line `        }` and a run with a line `    }`. Anything that is not that
 * layout makes it answer undefined, and the caller parses the whole text.
 *
 * Finding those lines is a search through the bytes, so each is looked for
 * where it can be: a run's steps are skipped PIECE_BYTES at a time, and only
 * the bytes of a piece are searched for the end of the steps.
 */
import { ByteWindow } from './byte-window.js'

const RUNS_OPEN = Buffer.from('\n  "runs": {\n')
const RUN_START = Buffer.from('\n    "')
const RUN_END = Buffer.from('\n    }')
const RUNS_CLOSE = Buffer.from('\n  }')
const KEY_LINE_END = '": {'
const NEWLINE = 10
const COMMA = 0x2c
const CLOSE_BRACKET = 0x5d

/** A run's steps member, the line that closes them, and how one step ends when another follows. */
const STEPS_KEY = Buffer.from('\n      "steps": [')
const STEPS_CLOSE = Buffer.from('\n      ]')
const STEP_SEPARATOR = Buffer.from('\n        },\n')

/**
 * Bytes of text parsed at a time, up to the end of the step that crosses it: over V8's 100 k
 * characters for old-generation results (above), under its 128 kB regular object size for a
 * text of one-byte characters. (Text with characters past U+00FF is two bytes a character, and
 * its pieces large objects: still no whole-run or whole-file string.)
 */
export const PIECE_BYTES: number = 104 * 1024

/** The parsed file, or undefined when the bytes are not in the writer's layout. */
export function parseSealed(bytes: Uint8Array): unknown {
  return parseSealedWindow(ByteWindow.of(bytes))
}

/**
 * The same, from bytes read as the parse goes (byte-window.ts): each piece's bytes are let go once
 * it is parsed, so a file is read through one block of memory, never held whole.
 */
export function parseSealedWindow(bytes: ByteWindow): unknown {
  const open = bytes.indexOf(RUNS_OPEN, 0)
  if (open < 0) return undefined
  // `{` of runs. (No run at all is `"runs": {}`, which does not match RUNS_OPEN: such a small
  // file is parsed whole.)
  const runsStart = open + RUNS_OPEN.length - 2
  const head = bytes.text(0, runsStart)
  const keys: string[] = []
  const values: unknown[] = []
  let at = runsStart + 1 // the line break before the first run's key line
  let runsEnd = -1
  while (runsEnd < 0) {
    if (!bytes.startsWith(RUN_START, at)) return undefined
    const lineEnd = bytes.indexOf(NEWLINE, at + 1)
    if (lineEnd < 0) return undefined
    const keyLine = bytes.text(at + 1, lineEnd)
    if (!keyLine.endsWith(KEY_LINE_END)) return undefined
    keys.push(JSON.parse(keyLine.slice(4, keyLine.length - KEY_LINE_END.length + 1)) as string)
    const run = parseRun(bytes, lineEnd - 1)
    if (run === undefined) return undefined
    values.push(run.value)
    bytes.keepFrom(run.end)
    // After a run's `}`: a comma and the next run, or the line that closes `runs`.
    if (bytes.byteAt(run.end) === COMMA) at = run.end + 1
    else if (bytes.startsWith(RUNS_CLOSE, run.end)) runsEnd = run.end
    else return undefined
  }
  const file = JSON.parse(`${head}{}${bytes.text(runsEnd + RUNS_CLOSE.length)}`) as {
    runs?: unknown
  }
  if (typeof file !== 'object' || file === null || typeof file.runs !== 'object' || file.runs === null) return undefined
  const runs = file.runs as Record<string, unknown>
  for (let i = 0; i < keys.length; i++) {
    // A member named "__proto__" must stay a member (as JSON.parse keeps it), not set the prototype.
    Object.defineProperty(runs, keys[i] as string, {
      value: values[i],
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  return file
}

/**
 * One run's value from its `{` at `start`, and `end`, where its `}` line ends; undefined when the
 * bytes are not in the layout. The run's members but its steps are parsed as one piece (with the
 * steps left empty), the steps PIECE_BYTES at a time.
 */
function parseRun(bytes: ByteWindow, start: number): { value: unknown; end: number } | undefined {
  // Members sort `index`, `name`, `outcome`, `steps`: the first steps member is this run's.
  const stepsKey = bytes.indexOf(STEPS_KEY, start)
  if (stepsKey < 0) return undefined
  const bracket = stepsKey + STEPS_KEY.length // after `[`
  // Taken now: the bytes before the steps are let go while the steps are read.
  const head = bytes.text(start, bracket)
  const steps: unknown[] = []
  let close = bracket // where `]` closes the steps (`[]` when there are none)
  if (bytes.byteAt(bracket) !== CLOSE_BRACKET) {
    let at = bracket // the line break before the first step
    for (;;) {
      // The steps of this piece end with the steps, or at the first step end after PIECE_BYTES.
      let closing = findStepsClose(bytes, at, at, at + PIECE_BYTES)
      let separator = -1
      if (closing < 0) {
        separator = bytes.indexOf(STEP_SEPARATOR, at + PIECE_BYTES)
        closing = findStepsClose(bytes, at, at + PIECE_BYTES, separator < 0 ? bytes.length : separator)
        if (closing < 0 && separator < 0) return undefined
      }
      const pieceEnd = closing >= 0 ? closing : separator + STEP_SEPARATOR.length - 2
      const piece = JSON.parse(`[${bytes.text(at, pieceEnd)}]`) as unknown[]
      for (let i = 0; i < piece.length; i++) steps.push(piece[i])
      if (closing >= 0) {
        close = pieceEnd + STEPS_CLOSE.length - 1
        break
      }
      at = pieceEnd + 1 // past the comma: the next step's line break
      bytes.keepFrom(at)
    }
  }
  const runEnd = bytes.indexOf(RUN_END, close)
  if (runEnd < 0) return undefined
  const end = runEnd + RUN_END.length
  // The run without its steps: `…"steps": [` then `]…`.
  const value = JSON.parse(`${head}${bytes.text(close, end)}`) as { steps?: unknown }
  if (typeof value !== 'object' || value === null || !Array.isArray(value.steps) || value.steps.length > 0) {
    return undefined
  }
  value.steps = steps
  return { value, end }
}

/**
 * The line break of the first line `      ]` (the end of a run's steps) that starts at `lineFrom` or
 * later and whose `]` is in `from` to `to`, or -1.
 *
 * @note A search for the whole line walks the bytes slowly here (its spaces are everywhere in an
 * indented text, so the search can only step one byte at a time); `]` is rare, and a search for
 * one byte is memchr: check the 7 bytes before each `]` instead.
 */
function findStepsClose(bytes: ByteWindow, lineFrom: number, from: number, to: number): number {
  const lineStart = STEPS_CLOSE.length - 1
  for (let at = bytes.indexOf(CLOSE_BRACKET, from); at >= 0 && at < to; at = bytes.indexOf(CLOSE_BRACKET, at + 1)) {
    if (at - lineStart >= lineFrom && bytes.startsWith(STEPS_CLOSE, at - lineStart)) return at - lineStart
  }
  return -1
}
