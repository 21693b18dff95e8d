/**
 * Which provider a request to the gateway is for, and where it goes upstream.
 * The client's base URL points at the gateway, so the path is all there is:
 *
 * - `/openai/…`, `/anthropic/…`, `/gemini/…`: explicit, for any path (the way to route anything else);
 * - `/v1beta/…`, `/v1alpha/…` and `…:generateContent`-style paths: Gemini;
 * - `/v1/messages…`, `/v1/complete`, and any `/v1/…` sent with an `anthropic-version` header: Anthropic;
 * - other `/v1/…` paths, and `/responses…`, `/models…`, `/chat/…`, `/embeddings` without `/v1`
 *   (Codex's base URL ends in `/v1`, others strip it): OpenAI.
 *
 * Anything else cannot be routed: the gateway answers a provider-shaped 404 naming the path.
 */
import type { GatewayProvider } from './types.js'

export type Route =
  | { type: 'health' }
  /** `HEAD /` and `HEAD /api/hello`: clients (Claude Code) probe the base URL; answered here. */
  | { type: 'probe' }
  | { type: 'unroutable'; path: string }
  | {
      type: 'provider'
      provider: GatewayProvider
      /** The path below the provider's API root with the query, origin-free: `/chat/completions`, `/v1/messages?beta=true`. */
      apiPath: string
      /** Where it goes: the upstream base plus `apiPath`. */
      upstreamUrl: string
    }

const GEMINI_VERB = /:(?:generateContent|streamGenerateContent|countTokens|embedContent|batchEmbedContents)$/
const OPENAI_BARE = /^\/(?:responses|models|chat|embeddings|completions|files|audio|images|moderations)(?:\/|$)/

/** The route of a request, from its method, path and headers. */
export function routeOf(
  method: string,
  rawUrl: string,
  headers: Record<string, string | string[] | undefined>,
  upstreams: Record<GatewayProvider, string>,
): Route {
  const query = rawUrl.indexOf('?')
  const path = query === -1 ? rawUrl : rawUrl.slice(0, query)
  const search = query === -1 ? '' : rawUrl.slice(query)
  if (path === '/__replaykit/health') return { type: 'health' }
  if (method === 'HEAD' && (path === '/' || path === '/api/hello')) return { type: 'probe' }
  const explicit = /^\/(openai|anthropic|gemini)(\/.*)$/.exec(path)
  if (explicit) return provider(explicit[1] as GatewayProvider, explicit[2] as string, search, upstreams)
  if (/^\/v1(?:alpha|beta)\//.test(path) || GEMINI_VERB.test(path)) return provider('gemini', path, search, upstreams)
  if (path.startsWith('/v1/')) {
    const anthropic =
      path.startsWith('/v1/messages') || path === '/v1/complete' || headers['anthropic-version'] !== undefined
    return provider(anthropic ? 'anthropic' : 'openai', path, search, upstreams)
  }
  if (OPENAI_BARE.test(path)) return provider('openai', path, search, upstreams)
  return { type: 'unroutable', path }
}

function provider(
  name: GatewayProvider,
  path: string,
  search: string,
  upstreams: Record<GatewayProvider, string>,
): Route {
  // OpenAI's root already ends in /v1 (https://api.openai.com/v1); the others are host roots.
  const below = name === 'openai' && (path === '/v1' || path.startsWith('/v1/')) ? path.slice(3) : path
  const apiPath = `${below}${search}`
  return { type: 'provider', provider: name, apiPath, upstreamUrl: `${upstreams[name]}${apiPath}` }
}
