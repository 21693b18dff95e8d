/**
 * The large parts every agent turn resends (the system prompt, the tool list,
 * Responses' `instructions`, Gemini's `systemInstruction`), stored once per
 * file by content hash: a model request's body keeps `{ "blob": "sha256:…" }`
 * in their place, and the part goes to the file's `blobs` the first time
 * (store/blobs.ts puts it back on read). A 200-turn session stores its
 * instructions once, not 200 times.
 */
import { canonicalKey } from '../artifact/canonical-json.js'
import { sha256 } from '../artifact/hash.js'
import type { Body, JsonValue, Step } from '../artifact/types.js'

const SHARED = ['system', 'tools', 'instructions', 'systemInstruction']

/** Parts smaller than this stay inline: a reference would save little and cost a lookup. */
export const SHARED_MIN_BYTES = 1024

export interface SharedSteps {
  steps: Step[]
  /** The parts not in the file yet (`known`), by hash. */
  blobs: Record<string, Body>
}

export function shareParts(steps: readonly Step[], known: ReadonlySet<string>): SharedSteps {
  const blobs: Record<string, Body> = {}
  const out = steps.map((step): Step => {
    if (step.kind !== 'model.request') return step
    const body = step.request.body
    if (!body || !('json' in body)) return step
    const json = body.json
    if (json === null || typeof json !== 'object' || Array.isArray(json)) return step
    let shared: { [key: string]: JsonValue } | undefined
    for (const key of SHARED) {
      const value = json[key]
      if (value === undefined) continue
      const text = canonicalKey({ json: value })
      if (text.length < SHARED_MIN_BYTES) continue
      const hash = sha256(text)
      if (!known.has(hash)) blobs[hash] = { json: value }
      shared ??= { ...json }
      shared[key] = { blob: hash }
    }
    return shared ? { ...step, request: { ...step.request, body: { json: shared } } } : step
  })
  return { steps: out, blobs }
}
