/**
 * The large parts every agent turn resends (the system prompt, the tool list,
 * Responses' `instructions`, Gemini's `systemInstruction`), stored once per
 * file by content hash: a model request's body keeps `{ "blob": "sha256:…" }`
 * in their place, and the part goes to the file's `blobs` the first time
 * (store/blobs.ts puts it back on read). A 200-turn session stores its
 * instructions once, not 200 times.
 *
 * Instructions can also be items of the conversation: Chat Completions' `system`/`developer`
 * messages, and the `developer` items Codex CLI 0.169 opens its Responses `input` with (it sends no
 * `instructions`: its 20 KB of agent instructions are `input[0]`). Such an item of `messages` or
 * `input` is stored once the same way, the item whole (its `id` included, which Codex keeps for a
 * session), so the list keeps its order and every other item inline.
 */
import { canonicalKey } from '../artifact/canonical-json.js'
import { sha256 } from '../artifact/hash.js'
import type { Body, HttpRequestData, JsonValue, Step } from '../artifact/types.js'

const SHARED = ['system', 'tools', 'instructions', 'systemInstruction']
/** Lists whose `system`/`developer` items are shared one by one. */
const SHARED_ITEMS = ['messages', 'input']
const INSTRUCTION_ROLES = new Set(['system', 'developer'])

/** Parts smaller than this stay inline: a reference would save little and cost a lookup. */
export const SHARED_MIN_BYTES = 1024

export interface SharedSteps {
  steps: Step[]
  /** The parts not in the file yet (`known`), by hash. */
  blobs: Record<string, Body>
}

/**
 * Each part's hash (null: too small to share), by identity: an exchange's request is shared when it
 * starts (its in-flight note, in-flight.ts) and again when it is recorded, and hashed once.
 * @note The request a part belongs to is not changed after it is read (redaction makes new objects).
 */
const hashes = new WeakMap<object, string | null>()

function hashOf(value: JsonValue): string | null {
  const cached = value !== null && typeof value === 'object' ? hashes.get(value) : undefined
  if (cached !== undefined) return cached
  const text = canonicalKey({ json: value })
  const hash = text.length < SHARED_MIN_BYTES ? null : sha256(text)
  if (value !== null && typeof value === 'object') hashes.set(value, hash)
  return hash
}

/** A model request with its large parts shared, as shareParts does for its step. */
export function shareRequest(
  request: HttpRequestData,
  known: ReadonlySet<string>,
): { request: HttpRequestData; blobs: Record<string, Body> } {
  const step: Step = {
    seq: 0,
    correlationId: '',
    kind: 'model.request',
    provider: '',
    endpoint: '',
    stream: false,
    request,
  }
  const shared = shareParts([step], known)
  return { request: (shared.steps[0] as Extract<Step, { kind: 'model.request' }>).request, blobs: shared.blobs }
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
    /** The reference to `value`, or undefined when it is too small to share. */
    const share = (value: JsonValue): JsonValue | undefined => {
      const hash = hashOf(value)
      if (hash === null) return undefined
      if (!known.has(hash)) blobs[hash] = { json: value }
      return { blob: hash }
    }
    for (const key of SHARED) {
      const value = json[key]
      if (value === undefined) continue
      const ref = share(value)
      if (!ref) continue
      shared ??= { ...json }
      shared[key] = ref
    }
    for (const key of SHARED_ITEMS) {
      const list = json[key]
      if (!Array.isArray(list)) continue
      let changed = false
      const items = list.map((item) => {
        if (item === null || typeof item !== 'object' || Array.isArray(item)) return item
        if (typeof item.role !== 'string' || !INSTRUCTION_ROLES.has(item.role)) return item
        const ref = share(item)
        if (!ref) return item
        changed = true
        return ref
      })
      if (!changed) continue
      shared ??= { ...json }
      shared[key] = items
    }
    return shared ? { ...step, request: { ...step.request, body: { json: shared } } } : step
  })
  return { steps: out, blobs }
}
