/**
 * Bodies stored once by content hash (`{ blob: 'sha256:…' }`) are put back
 * inline before a run is handed to the engine, which replays whole bodies.
 *
 * A reference stands for a whole body (`request.body: { blob }`), or, inside a
 * JSON body, for one part of it (the gateway stores the system prompt and the
 * tool list an agent resends every turn once): there it stands for the
 * stored body's value (`{ json: v }` → `v`).
 */
import type { Body, JsonValue, Run } from '../artifact/types.js'

/** A copy of `run` with every blob reference replaced by the body it names. Unknown references stay. */
export function inlineBlobs(run: Run, blobs: Record<string, Body> | undefined): Run {
  if (!blobs || Object.keys(blobs).length === 0) return run
  return walk(run as unknown as JsonValue, blobs, false) as unknown as Run
}

function walk(value: JsonValue, blobs: Record<string, Body>, inJson: boolean): JsonValue {
  if (Array.isArray(value)) return value.map((item) => walk(item, blobs, inJson))
  if (value === null || typeof value !== 'object') return value
  const keys = Object.keys(value)
  const ref = value.blob
  if (keys.length === 1 && typeof ref === 'string' && blobs[ref]) {
    const body = blobs[ref] as Body
    if (!inJson) return body as unknown as JsonValue
    if ('json' in body) return body.json
    if ('text' in body) return body.text
    return body as unknown as JsonValue
  }
  const out: { [key: string]: JsonValue } = {}
  for (const key of keys) out[key] = walk(value[key] as JsonValue, blobs, inJson || key === 'json')
  return out
}
