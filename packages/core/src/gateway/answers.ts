/**
 * The answers the gateway makes itself, each shaped like the provider's own
 * errors so the client's SDK reads the message: a path it cannot route (404),
 * an upstream that gave no answer (502, or 504 on a timeout), a replay miss
 * (400 with `x-should-retry: false`, so SDKs do not retry it).
 */
import type { JsonValue } from '../artifact/types.js'
import type { GatewayProvider } from './types.js'

export interface Answer {
  status: number
  headers: Record<string, string>
  body: string
}

/** The provider's error body carrying `message`. */
export function errorBody(
  provider: GatewayProvider | undefined,
  status: number,
  type: string,
  message: string,
): JsonValue {
  if (provider === 'anthropic') return { type: 'error', error: { type, message } }
  if (provider === 'gemini') return { error: { code: status, message, status: geminiStatus(status) } }
  return { error: { message, type, param: null, code: type } }
}

export function errorAnswer(
  provider: GatewayProvider | undefined,
  status: number,
  type: string,
  message: string,
  extra: Record<string, string> = {},
): Answer {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-replaykit-gateway': 'error', ...extra },
    body: JSON.stringify(errorBody(provider, status, type, message)),
  }
}

/** A path the gateway cannot route: names it and says how to route it. */
export function unroutable(method: string, path: string): Answer {
  return errorAnswer(
    undefined,
    404,
    'replaykit_unroutable_path',
    `[ReplayKit gateway] cannot route ${method} ${path}: it is not under a known provider path. ` +
      'Point the client at the gateway as its base URL (OpenAI: <gateway>/v1, Anthropic and Gemini: <gateway>), ' +
      'or prefix the path with /openai, /anthropic or /gemini (e.g. <gateway>/openai/v1/files). See docs/gateway-routes.md.',
  )
}

/** The upstream gave no answer at all: 504 on a timeout, else 502. */
export function noAnswer(provider: GatewayProvider, upstream: string, reason: string, timeout: boolean): Answer {
  return errorAnswer(
    provider,
    timeout ? 504 : 502,
    timeout ? 'upstream_timeout' : 'upstream_unreachable',
    `[ReplayKit gateway] the upstream ${upstream} gave no answer: ${reason}`,
  )
}

/** A refusal (replay miss, synthetic refused): a 400 the SDKs throw at once. */
export function refusal(provider: GatewayProvider, type: string, message: string): Answer {
  return errorAnswer(provider, 400, type, message, { 'x-should-retry': 'false' })
}

function geminiStatus(status: number): string {
  if (status === 404) return 'NOT_FOUND'
  if (status === 504) return 'DEADLINE_EXCEEDED'
  if (status === 502 || status === 503) return 'UNAVAILABLE'
  return 'INVALID_ARGUMENT'
}
