/**
 * Which part of an LLM app a difference falls in: the prompt, the tools, the
 * model and its parameters, retrieval, plain HTTP, the output or determinism.
 * A reader of a failing test wants "the prompt changed" before any JSON path.
 */
import type { PathSegment } from '../artifact/json-path.js'
import type { StepKind } from '../artifact/types.js'
import type { DivergenceSection } from './types.js'

/** Request body members that carry the prompt (OpenAI chat/responses, Anthropic, Gemini). */
const PROMPT_FIELDS = new Set([
  'messages',
  'input',
  'instructions',
  'system',
  'contents',
  'systemInstruction',
  'prompt',
])

/** Request body members that declare or steer tools. */
const TOOL_FIELDS = new Set(['tools', 'tool_choice', 'toolConfig', 'functions', 'function_call', 'parallel_tool_calls'])

/** Response members that hold tool calls, normalised or raw. */
const TOOL_RESPONSE_FIELDS = new Set(['toolCalls', 'tool_calls', 'function_call', 'functionCall'])

/** URL paths of search, retrieval, embedding and vector-store APIs. */
const RETRIEVAL_PATH = /search|retriev|embedding|vector|query|rerank/i

/**
 * The section of a difference at `path` (relative to the step) in a step of `kind`.
 * `url` is the request URL of the exchange, for telling retrieval from other HTTP.
 */
export function sectionOf(kind: StepKind, path: readonly PathSegment[], url: string | undefined): DivergenceSection {
  switch (kind) {
    case 'model.request': {
      const inJsonBody = path[0] === 'request' && path[1] === 'body' && path[2] === 'json'
      const field = path[3]
      if (inJsonBody && typeof field === 'string') {
        if (PROMPT_FIELDS.has(field)) return 'prompt'
        if (TOOL_FIELDS.has(field)) return 'tool'
      }
      // The model name, provider, endpoint, parameters (temperature, max tokens), URL.
      return 'model'
    }
    case 'model.response':
      return path.some((segment) => typeof segment === 'string' && TOOL_RESPONSE_FIELDS.has(segment)) ? 'tool' : 'model'
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
