/**
 * Which provider adapter, if any, understands a request. Matching is on the method and URL
 * path only, never the host: gateways and local fakes serve the same paths elsewhere.
 */
import { anthropicAdapter } from './anthropic.js'
import { geminiAdapter } from './gemini.js'
import { urlPath } from './json.js'
import { openaiAdapter } from './openai.js'
import type { AdapterMatch, ProviderAdapter } from './types.js'

/** The built-in adapters, in the order they are asked. */
export const PROVIDER_ADAPTERS: readonly ProviderAdapter[] = [openaiAdapter, anthropicAdapter, geminiAdapter]

/**
 * The adapter and endpoint for a request, or undefined for plain HTTP.
 *
 * @example findAdapter('POST', 'http://127.0.0.1:4010/v1/chat/completions') // { adapter: openaiAdapter, endpoint: 'chat.completions' }
 */
export function findAdapter(method: string, url: string): AdapterMatch | undefined {
  const path = urlPath(url)
  for (const adapter of PROVIDER_ADAPTERS) {
    const endpoint = adapter.endpointFor(method, path)
    if (endpoint !== undefined) return { adapter, endpoint }
  }
  return undefined
}
