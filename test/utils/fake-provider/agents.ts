/**
 * What the coding agents (Codex CLI, Claude Code) need from the fake beyond the plain provider
 * APIs: Codex's own `/models?client_version=…` body, the `HEAD /` reachability probe Claude
 * Code sends first, API keys only the fake accepts, and a final answer that quotes what the
 * agent's shell tool printed without the per-run noise Codex wraps around it.
 */
import type { IncomingMessage } from 'node:http'
import { type FakeResponse, json } from './respond.js'

/** The API key every agent test uses: the fake accepts it, no real provider would. */
export const FAKE_AGENT_KEY = 'sk-replaykit-fake-agent-key-0000000000'

/**
 * Codex asks `GET {base}/models?client_version=X` and expects `{"models":[…]}` (its model
 * catalogue), not OpenAI's `{object:'list',data}`; an OpenAI-shaped body only logs an error.
 * The fields are the catalogue's required ones as far as we checked (unverified beyond that).
 */
export function codexModels(): FakeResponse {
  const model = (slug: string) => ({
    slug,
    display_name: slug,
    description: 'A model of the ReplayKit fake provider.',
    default_reasoning_level: 'medium',
    supported_reasoning_levels: [{ effort: 'medium', description: 'Balanced' }],
    shell_type: 'shell_command',
    visibility: 'list',
    supported_in_api: true,
    priority: 1,
  })
  return json(200, { models: [model('gpt-5'), model('gpt-fake')] })
}

/** The API key a request carries, in any of the providers' places. */
export function keyOf(headers: IncomingMessage['headers'], url: URL): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(String(headers.authorization ?? ''))?.[1]
  const header = headers['x-api-key'] ?? headers['x-goog-api-key']
  return bearer ?? (typeof header === 'string' ? header : undefined) ?? url.searchParams.get('key') ?? undefined
}

/** The 401 each provider answers a wrong key with, shaped for the route asked. */
export function unauthorized(path: string): FakeResponse {
  const message = 'invalid api key: the ReplayKit fake provider accepts only its test keys'
  if (path.includes('/v1/messages') || path === '/v1/models')
    return json(401, { type: 'error', error: { type: 'authentication_error', message } })
  if (path.includes('/v1beta/')) return json(401, { error: { code: 401, message, status: 'UNAUTHENTICATED' } })
  return json(401, { error: { message, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } })
}

/**
 * What an agent's shell tool printed. Codex wraps the output of `exec_command` in lines that
 * change every run ("Chunk ID: 3f2a1c", "Wall time: 0.0512 seconds") before `Output:`; Claude
 * Code's `Bash` result is the output itself.
 */
export function shellOutputOf(toolOutput: string): string {
  const marker = toolOutput.indexOf('\nOutput:\n')
  return (marker >= 0 ? toolOutput.slice(marker + '\nOutput:\n'.length) : toolOutput).trim()
}

/** Whether the request declares a coding agent's shell tool. */
export function hasAgentShell(tools: string[]): boolean {
  return tools.includes('exec_command') || tools.includes('Bash')
}
