/**
 * Which client session a request belongs to: each becomes one run of the
 * artifact, and on replay each is answered from one recorded run in order.
 *
 * In order: an explicit `x-replaykit-session` header; Claude Code's
 * `x-claude-code-session-id`; Codex's `session_id` / `conversation_id` header;
 * the body's `prompt_cache_key` (Codex's thread id); else the fallback session
 * `default` (a program that names no session is one run).
 */
const HEADERS = ['x-replaykit-session', 'x-claude-code-session-id', 'session_id', 'conversation_id']

export const FALLBACK_SESSION = 'default'

export function sessionOf(headers: Record<string, string | string[] | undefined>, body: unknown): string {
  for (const name of HEADERS) {
    const value = headers[name]
    const text = Array.isArray(value) ? value[0] : value
    if (text) return clean(text)
  }
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const key = (body as Record<string, unknown>).prompt_cache_key
    if (typeof key === 'string' && key !== '') return clean(key)
  }
  return FALLBACK_SESSION
}

/** A run name is one line: no control characters, bounded. */
function clean(id: string): string {
  return id.replace(/[^\x20-\x7e]|[>\\]/g, '_').slice(0, 120)
}
