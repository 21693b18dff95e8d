/**
 * Which part of an LLM app a difference falls in: the prompt, the tools, the
 * model and its parameters, retrieval, plain HTTP, the output or determinism.
 * A reader of a failing test wants "the prompt changed" before any JSON path.
 */
import type { PathSegment } from '../artifact/json-path.js'
import type { StepKind } from '../artifact/types.js'
import { adapterForProvider, adapters } from '../providers/registry.js'
import type { AdapterFields } from '../providers/types.js'
import type { DivergenceSection } from './types.js'

/** URL paths of search, retrieval, embedding and vector-store APIs. */
const RETRIEVAL_PATH = /search|retriev|embedding|vector|query|rerank/i

/**
 * The section of a difference at `path` (relative to the step) in a step of `kind`.
 * `url` is the request URL of the exchange, for telling retrieval from other HTTP.
 * `provider` (of a model step) picks the adapter that knows its body's members; without it,
 * or for a provider no adapter in this process knows, every adapter's members count.
 */
export function sectionOf(
  kind: StepKind,
  path: readonly PathSegment[],
  url: string | undefined,
  provider?: string,
): DivergenceSection {
  switch (kind) {
    case 'model.request': {
      const inJsonBody = path[0] === 'request' && path[1] === 'body' && path[2] === 'json'
      const field = path[3]
      if (inJsonBody && typeof field === 'string') {
        const fields = fieldsOf(provider)
        if (fields.prompt.includes(field)) return 'prompt'
        if (fields.tools.includes(field)) return 'tool'
      }
      // The model name, provider, endpoint, parameters (temperature, max tokens), URL.
      return 'model'
    }
    case 'model.response': {
      const toolCalls = fieldsOf(provider).toolCalls
      return path.some((segment) => typeof segment === 'string' && toolCalls.includes(segment)) ? 'tool' : 'model'
    }
    case 'tool.request':
    case 'tool.response':
      return 'tool'
    case 'http.request':
    case 'http.response':
      return url !== undefined && isRetrievalUrl(url) ? 'retrieval' : 'http'
    case 'error.event':
      return 'http'
  }
}

/** The body members the provider's adapter names, or those of every adapter. */
function fieldsOf(provider: string | undefined): AdapterFields {
  const adapter = provider === undefined ? undefined : adapterForProvider(provider)
  if (adapter) return adapter.fields
  const all = adapters().map((each) => each.fields)
  return {
    prompt: all.flatMap((fields) => fields.prompt),
    tools: all.flatMap((fields) => fields.tools),
    toolCalls: all.flatMap((fields) => fields.toolCalls),
  }
}

/** True when the URL's path looks like a search, retrieval, embedding or vector API. */
export function isRetrievalUrl(url: string): boolean {
  let pathname: string
  try {
    pathname = new URL(url).pathname
  } catch {
    pathname = url.split('?')[0] ?? url
  }
  return RETRIEVAL_PATH.test(pathname)
}
