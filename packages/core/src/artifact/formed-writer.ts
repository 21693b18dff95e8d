/**
 * The writer's fast path, run by run: the content hash, the secret pre-check
 * and the file's bytes are made from one run at a time instead of from two
 * whole-file texts (a 7 MB compact one to hash, a 17 MB indented one to write,
 * then its UTF-8 copy). The bytes are the same as `stringifyForm` of the whole
 * file, and the hash the same as `computeContentHash`: tests compare them.
 *
 * Why: on the machines we measured, touching fresh memory costs more than the
 * work done in it, and pieces of a few hundred kB reuse the memory the last
 * piece left, where whole-file texts each take new memory.
 *
 * For the same reason a run is put in canonical form (key-sorted, canonical-form.ts) when a pass
 * needs it, once for the hash and once for the text, and dropped after: a formed copy of the
 * whole content, kept from the hash pass to the end of the text pass, outlived the young
 * generation and the collector copied all of it (a 10,000-step file: about 17 MB of objects).
 * Forming a run twice costs less than that (docs/performance.md, part P2).
 */
import { createHash } from '../lazy-deps.js'
import { canonicalForm, NO_FORM } from './canonical-form.js'
import { HASH_PREFIX, stableRun } from './hash.js'
import { mayHoldSecret } from './secret-scan.js'
import type { RpkFile, Run } from './types.js'

/** Content put in canonical form a run at a time, when asked (see above). */
export interface FormedContent {
  /** The run keys in canonical order (UTF-16 code units), runs left undefined dropped. */
  keys: string[]
  /** The run under one of `keys` in canonical form, made anew at each call; NO_FORM when it has none. */
  run: (key: string) => Run | typeof NO_FORM
  blobs: NonNullable<RpkFile['blobs']>
}

/**
 * The content's runs and blobs for the fast path, or undefined when the blobs have no canonical
 * form (the reference writer then names the path). A run without one is found by `hashFormed`.
 */
export function formContent(runs: RpkFile['runs'], blobs: RpkFile['blobs']): FormedContent | undefined {
  const formedBlobs = canonicalForm(blobs ?? {})
  if (formedBlobs === NO_FORM) return undefined
  // Sorted as the reference writer sorts (canonical-writer.ts), whatever order V8 lists them in.
  const keys = Object.keys(runs)
    .filter((key) => runs[key] !== undefined)
    .sort()
  return {
    keys,
    // Depth 1: a run's depth inside the runs, as when the runs were formed whole.
    run: (key) => canonicalForm(runs[key], undefined, 1) as Run | typeof NO_FORM,
    blobs: formedBlobs as NonNullable<RpkFile['blobs']>,
  }
}

export interface HashedContent {
  contentHash: string
  /** False when no secret pattern matches any recorded string (the caller still screens `meta`). */
  mayHoldSecret: boolean
}

/**
 * The content hash of formed content, hashing `{"blobs":…,"runs":{…}}` (compact, timing left
 * out) a run at a time, and whether any of that text may hold a secret; undefined when a run has
 * no canonical form.
 */
export function hashFormed(formed: FormedContent): HashedContent | undefined {
  const hash = createHash('sha256')
  const blobs = `{"blobs":${JSON.stringify(formed.blobs)},"runs":{`
  hash.update(blobs)
  let secret = mayHoldSecret(blobs)
  let first = true
  for (const key of formed.keys) {
    const run = formed.run(key)
    if (run === NO_FORM) return undefined
    const part = `${first ? '' : ','}${JSON.stringify(key)}:${JSON.stringify(stableRun(run))}`
    first = false
    hash.update(part)
    if (!secret) secret = mayHoldSecret(part)
  }
  hash.update('}}')
  return { contentHash: HASH_PREFIX + hash.digest('hex'), mayHoldSecret: secret }
}

const WRAPPER_START = '{\n  "runs": {'
const WRAPPER_END = '\n  }\n}'
/** A step inside `{ "": { "": { "": [step] } } }` is indented as in the file, and lies between these. */
const STEP_WRAPPER_START = '{\n  "": {\n    "": {\n      "": [\n'
const STEP_WRAPPER_END = '\n      ]\n    }\n  }\n}'
/** A run's steps member, as a run with its steps left empty is written. */
const EMPTY_STEPS = '\n      "steps": []'

/** Gives a file's text to `add`, piece by piece and in order. */
export type TextProducer = (add: (text: string) => void) => void

/**
 * The file's canonical text (2-space indent, trailing newline), given piece by piece, or
 * undefined when `file` is not laid out as expected (the caller writes the whole text then).
 * `file.runs` is not read: the runs are `formed`'s, formed again here one at a time (its
 * `hashFormed` found every one formable), and `file.blobs` must be `formed.blobs`. `each` sees
 * each formed run as its text is made.
 *
 * @note A run is given step by step: the indented text of a run of 100 steps is 170 kB, over
 * V8's regular object size, and such a string takes fresh pages of its own (sealed-parse.ts says
 * what that costs); a step's is 2 kB.
 */
export function formedText(
  file: RpkFile,
  formed: FormedContent,
  each?: (key: string, run: Run) => void,
): TextProducer | undefined {
  const keys = formed.keys
  // Everything but the runs, key-sorted (the blobs are formed already).
  const top = canonicalForm({ ...file, runs: {} }, new Set<unknown>([file.blobs]))
  if (top === NO_FORM) return undefined
  const outside = `${JSON.stringify(top, null, 2)}\n`
  const marker = '\n  "runs": {}'
  const at = outside.indexOf(marker)
  if (keys.length === 0) return (add) => add(outside)
  if (at < 0) return undefined
  return (add) => {
    add(outside.slice(0, at + marker.length - 1))
    const wrapper = { runs: Object.create(null) as Record<string, unknown> }
    keys.forEach((key, i) => {
      const run = formed.run(key)
      // Formed by hashFormed a moment ago from the same objects: the same answer now.
      if (run === NO_FORM) throw new Error(`formedText: run ${JSON.stringify(key)} has no canonical form`)
      each?.(key, run)
      const steps: unknown = run.steps
      // The run with its steps left empty, stringified inside `{ "runs": { key: run } }` so that it
      // comes out indented as in the file: the slice between the wrapper's first and last lines is
      // `\n    "key": {…\n    }`. Then its steps go between `[` and `]`.
      wrapper.runs = Object.create(null) as Record<string, unknown>
      wrapper.runs[key] = Array.isArray(steps) && steps.length > 0 ? { ...run, steps: [] } : run
      const text = JSON.stringify(wrapper, null, 2)
      const runText = text.slice(WRAPPER_START.length, text.length - WRAPPER_END.length)
      const empty = wrapper.runs[key] === run ? -1 : runText.indexOf(EMPTY_STEPS)
      if (empty < 0) add(runText)
      else {
        const bracket = empty + EMPTY_STEPS.length - 1 // `]`
        add(runText.slice(0, bracket))
        ;(steps as unknown[]).forEach((step, j) => {
          const wrapped = JSON.stringify({ '': { '': { '': [step] } } }, null, 2)
          add(j === 0 ? '\n' : ',\n')
          add(wrapped.slice(STEP_WRAPPER_START.length, wrapped.length - STEP_WRAPPER_END.length))
        })
        add('\n      ')
        add(runText.slice(bracket))
      }
      if (i < keys.length - 1) add(',')
    })
    add(`\n  }${outside.slice(at + marker.length)}`)
  }
}
