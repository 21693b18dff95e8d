/**
 * Content hash of a recording: sha256 over the canonical form of what was
 * recorded, leaving out everything volatile (writer version, write time, step
 * and run timing, stream pacing). Two machines recording the same traffic get
 * the same hash, so parity can be asserted in CI.
 */
import { createHash } from '../lazy-deps.js'
import { canonicalKey, stringifyForm } from './canonical-json.js'
import type { RpkFile, Run, Step, StreamDetail } from './types.js'

export const HASH_PREFIX = 'sha256:'

export function sha256(text: string | Uint8Array): string {
  return HASH_PREFIX + createHash('sha256').update(text).digest('hex')
}

/** The hash stored in `RpkFile.contentHash`. */
export function computeContentHash(file: Pick<RpkFile, 'runs' | 'blobs'>): string {
  const runs = members()
  for (const [key, run] of Object.entries(file.runs)) runs[key] = stableRun(run)
  return sha256(canonicalKey({ blobs: file.blobs ?? {}, runs }))
}

/**
 * `computeContentHash` of runs and blobs already in canonical form (from
 * `canonicalForm`), without checking or copying them again: the writer forms
 * the content once for both the hash and the file text.
 *
 * @note Valid because leaving members out of a canonical form keeps it canonical
 * (the others stay in order), and that is all `stableRun` does.
 */
export function contentHashOfForms(runs: Record<string, Run>, blobs: object): string {
  const stable = members()
  for (const key of Object.keys(runs)) stable[key] = stableRun(runs[key] as Run)
  return sha256(stringifyForm({ blobs, runs: stable }, 0))
}

/**
 * sha256 of the content as `JSON.stringify` writes it, in the key order it was
 * read in, without sorting or checking it first. For a file read from disk:
 * when this equals the stored hash, the compact text it hashed is the canonical
 * text of the content that was hashed at write time, so the content is that
 * content (short of a sha256 collision) and the check passes without the
 * canonical pass. When it differs (keys reordered by hand, or tampering), only
 * `computeContentHash` can tell.
 *
 * @note Only for values from JSON.parse: they hold nothing JSON.stringify
 * would write differently from what they are (no toJSON, no undefined).
 */
export function contentHashAsRead(file: Pick<RpkFile, 'runs' | 'blobs'>): string {
  const runs = members()
  for (const key of Object.keys(file.runs)) runs[key] = stableRun(file.runs[key] as Run)
  return sha256(JSON.stringify({ blobs: file.blobs ?? {}, runs }))
}

/**
 * An object for members keyed by run keys. @note No prototype: assigning the key
 * "__proto__" to a plain object would set its prototype instead of adding a member.
 */
function members(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>
}

/** Hash of one run's recorded content, for comparing runs across files. */
export function computeRunHash(run: Run): string {
  return sha256(canonicalKey(stableRun(run)))
}

/** A run without its volatile parts. */
export function stableRun(run: Run): Omit<Run, 'timing'> {
  const { timing: _timing, ...rest } = run
  return { ...rest, steps: run.steps.map(stableStep) }
}

/** A step without its timing and stream pacing: what "the same step" means. */
export function stableStep(step: Step): Step {
  const { timing: _timing, ...rest } = step
  if ((rest.kind === 'http.response' || rest.kind === 'model.response') && rest.response.stream) {
    return { ...rest, response: { ...rest.response, stream: stableStream(rest.response.stream) } }
  }
  return rest as Step
}

function stableStream(stream: StreamDetail): StreamDetail {
  return {
    ...stream,
    events: stream.events.map(({ atMs: _atMs, ...event }) => event),
  }
}
