/**
 * Which provider adapter, if any, understands a request. Matching is on the method and URL
 * path only, never the host: gateways and local fakes serve the same paths elsewhere.
 *
 * The order asked: adapters a user registered (the latest first, as msw's `server.use`
 * prepends handlers), then the built-in OpenAI, Anthropic and Gemini adapters; a request
 * none of them serves is plain HTTP (`http.*` steps, a network error when refused).
 */
import { anthropicAdapter } from './anthropic.js'
import { checkAdapter } from './check-adapter.js'
import { geminiAdapter } from './gemini.js'
import { urlPath } from './json.js'
import { openaiAdapter } from './openai.js'
import type { AdapterMatch, ProviderAdapter } from './types.js'

/** The built-in adapters, in the order they are asked (after any registered ones). */
export const PROVIDER_ADAPTERS: readonly ProviderAdapter[] = [openaiAdapter, anthropicAdapter, geminiAdapter]

// @note On the realm's global object, not in the engine's runtime: a user who registers an adapter
// through one copy of core (ESM) must be heard by the engine of another (CJS), and a Jest test
// file's sandbox is another realm, with its own globalThis (and so its own runtime slot), whose
// copy of core reaches the outer list only through this key (shareAdapters puts it there).
const KEY = Symbol.for('replaykit.adapters')
type Registry = typeof globalThis & { [KEY]?: ProviderAdapter[] }

function registered(): ProviderAdapter[] {
  const registry = globalThis as Registry
  registry[KEY] ??= []
  return registry[KEY]
}

/**
 * Teach ReplayKit a provider's wire format: requests the adapter serves become model and tool
 * steps, are refused in the provider's error shape, and show their prompt in the timeline.
 * Call it in a setup file (it runs in every worker), as `expect.addSnapshotSerializer` is.
 * One adapter per `provider`: registering that name again replaces the earlier one (a setup
 * file that runs again for each test file does not pile up copies). Returns a function that
 * removes it again.
 *
 * @throws {AdapterShapeError} RPK_BAD_ADAPTER when `adapter` lacks a member or has a bad `provider`.
 * @example
 * // vitest.setup.ts
 * import { registerAdapter } from '@replaykit/core'
 * import { ollamaAdapter } from './test/ollama-adapter.js'
 * registerAdapter(ollamaAdapter)
 */
export function registerAdapter(adapter: ProviderAdapter): () => void {
  checkAdapter(adapter, 'registerAdapter(adapter)')
  const list = registered()
  const same = list.findIndex((each) => each.provider === adapter.provider)
  if (same !== -1) list.splice(same, 1)
  list.unshift(adapter)
  return () => {
    const at = list.indexOf(adapter)
    if (at !== -1) list.splice(at, 1)
  }
}

/** Every adapter in the order they are asked: registered ones (latest first), then built-in ones. */
export function adapters(): readonly ProviderAdapter[] {
  return [...registered(), ...PROVIDER_ADAPTERS]
}

/**
 * The adapter and endpoint for a request, or undefined for plain HTTP.
 *
 * @example findAdapter('POST', 'http://127.0.0.1:4010/v1/chat/completions') // { adapter: openaiAdapter, endpoint: 'chat.completions' }
 */
export function findAdapter(method: string, url: string): AdapterMatch | undefined {
  const path = urlPath(url)
  // Two loops, no joined copy: this runs for every intercepted request and every exchange's steps.
  return firstServing(registered(), method, path) ?? firstServing(PROVIDER_ADAPTERS, method, path)
}

function firstServing(list: readonly ProviderAdapter[], method: string, path: string): AdapterMatch | undefined {
  for (const adapter of list) {
    const endpoint = adapter.endpointFor(method, path)
    if (endpoint !== undefined) return { adapter, endpoint }
  }
  return undefined
}

/**
 * The adapter that wrote steps with this `provider` (for reading a recording: the diff, the
 * timeline), or undefined when none is registered in this process.
 */
export function adapterForProvider(provider: string): ProviderAdapter | undefined {
  return registered().find((adapter) => adapter.provider === provider) ?? builtIn(provider)
}

function builtIn(provider: string): ProviderAdapter | undefined {
  return PROVIDER_ADAPTERS.find((adapter) => adapter.provider === provider)
}

/**
 * Let code in another realm (a Jest test file's vm sandbox, with its own `globalThis`) register
 * adapters that this realm's engine asks. Those it registers are dropped again by the returned
 * undo, when that test file ends; adapters registered in this realm stay.
 */
export function shareAdapters(realm: object): () => void {
  const list = registered()
  const before = [...list]
  const sandbox = realm as Registry
  sandbox[KEY] = list
  return () => {
    delete sandbox[KEY]
    list.splice(0, list.length, ...before)
  }
}
