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
 */
import { createHash } from '../lazy-deps.js'
import { canonicalForm, NO_FORM } from './canonical-form.js'
import { HASH_PREFIX, stableRun } from './hash.js'
import { mayHoldSecret } from './secret-scan.js'
import type { RpkFile, Run } from './types.js'

export interface FormedContent {
  runs: RpkFile['runs']
  blobs: NonNullable<RpkFile['blobs']>
}

export interface HashedContent {
  contentHash: string
  /** False when no secret pattern matches any recorded string (the caller still screens `meta`). */
  mayHoldSecret: boolean
}

/**
 * The content hash of formed content, hashing `{"blobs":…,"runs":{…}}` (compact, timing left
 * out) a run at a time, and whether any of that text may hold a secret.
 */
export function hashFormed(formed: FormedContent): HashedContent {
  const hash = createHash('sha256')
  const blobs = `{"blobs":${JSON.stringify(formed.blobs)},"runs":{`
  hash.update(blobs)
  let secret = mayHoldSecret(blobs)
  let first = true
  for (const key of Object.keys(formed.runs)) {
    const part = `${first ? '' : ','}${JSON.stringify(key)}:${JSON.stringify(stableRun(formed.runs[key] as Run))}`
    first = false
    hash.update(part)
    if (!secret) secret = mayHoldSecret(part)
  }
  hash.update('}}')
  return { contentHash: HASH_PREFIX + hash.digest('hex'), mayHoldSecret: secret }
}

const WRAPPER_START = '{\n  "runs": {'
const WRAPPER_END = '\n  }\n}'
const COMMA = Buffer.from(',')

/**
 * The file's canonical bytes (2-space indent, trailing newline), as chunks to write in order,
 * or undefined when `file` is not laid out as expected (the caller writes the whole text then).
 * `file.runs` must be formed (canonical-form.ts) and `file` itself key-sorted.
 */
export function formedChunks(file: RpkFile): Buffer[] | undefined {
  const keys = Object.keys(file.runs)
  // Everything but the runs, key-sorted (the blobs are formed already).
  const top = canonicalForm({ ...file, runs: {} }, new Set<unknown>([file.blobs]))
  if (top === NO_FORM) return undefined
  const outside = `${JSON.stringify(top, null, 2)}\n`
  const marker = '\n  "runs": {}'
  const at = outside.indexOf(marker)
  if (at < 0 || keys.length === 0) return keys.length === 0 ? [Buffer.from(outside)] : undefined
  const chunks = [Buffer.from(`${outside.slice(0, at + marker.length - 1)}`)]
  const wrapper = { runs: Object.create(null) as Record<string, unknown> }
  keys.forEach((key, i) => {
    // Stringified inside `{ "runs": { key: run } }`, the run is indented as in the file; the
    // slice between the wrapper's first and last lines is `\n    "key": {…\n    }`, uncopied.
    wrapper.runs = Object.create(null) as Record<string, unknown>
    wrapper.runs[key] = file.runs[key]
    const text = JSON.stringify(wrapper, null, 2)
    chunks.push(Buffer.from(text.slice(WRAPPER_START.length, text.length - WRAPPER_END.length)))
    if (i < keys.length - 1) chunks.push(COMMA)
  })
  chunks.push(Buffer.from(`\n  }${outside.slice(at + marker.length)}`))
  return chunks
}
