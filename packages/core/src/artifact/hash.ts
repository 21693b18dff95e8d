/**
 * Content hash of a recording: sha256 over the canonical form of what was
 * recorded, leaving out everything volatile (writer version, write time, step
 * and run timing, stream pacing). Two machines recording the same traffic get
 * the same hash, so parity can be asserted in CI.
 */
import { createHash } from 'node:crypto'
import { canonicalKey } from './canonical-json.js'
import type { RpkFile, Run, Step, StreamDetail } from './types.js'

export const HASH_PREFIX = 'sha256:'

export function sha256(text: string | Uint8Array): string {
  return HASH_PREFIX + createHash('sha256').update(text).digest('hex')
}

/** The hash stored in `RpkFile.contentHash`. */
export function computeContentHash(file: Pick<RpkFile, 'runs' | 'blobs'>): string {
  const runs: Record<string, unknown> = {}
  for (const [key, run] of Object.entries(file.runs)) runs[key] = stableRun(run)
  return sha256(canonicalKey({ blobs: file.blobs ?? {}, runs }))
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
