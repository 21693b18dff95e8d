/**
 * The port every provider adapter fills: recognise an endpoint by its URL path, then
 * summarise the request the code sent and the response it got, in provider-neutral terms.
 *
 * Adapters never throw on bodies they do not understand: they return what they can read and
 * leave the rest in the raw request/response the steps keep anyway.
 */
import type { HttpRequestData, HttpResponseData, JsonValue, ModelUsage, Provider, ToolCall } from '../artifact/types.js'

/** A tool result the code sent back to the model inside a request body. */
export interface ToolResult {
  /** Provider call id it answers (`call_…`, `toolu_…`, or `<name>#<index>` for Gemini). */
  callId: string
  /** The output as sent: a string, content blocks, or (Gemini) the response object. */
  output: JsonValue
  /** Set when the provider format says the tool failed (Anthropic `is_error`, Gemini `error`). */
  isError?: boolean
}

/** What a request says about the model call. */
export interface RequestSummary {
  model?: string
  /** Whether the client asked for a streamed answer. */
  stream: boolean
  /** Tool results sent back since the model's last turn (not the ones replayed from older turns). */
  toolResults: ToolResult[]
}

/** What a (successful) response says: the assembled answer. */
export interface ResponseSummary {
  /** All answer text joined (thinking/reasoning left out); absent when there was none. */
  text?: string
  /** Tool calls in the order the model made them; absent when there were none. */
  toolCalls?: ToolCall[]
  usage?: ModelUsage
  /** The provider's own value (`stop`, `tool_calls`, `end_turn`, `STOP`, `completed`, …). */
  finishReason?: string
}

/**
 * Top-level members of a provider's bodies that a divergence report files under a section:
 * "the prompt changed" or "the tools changed" reads better than a JSON path.
 */
export interface AdapterFields {
  /** Request body members that carry the prompt (`messages`, `system`, `contents`, …). */
  readonly prompt: readonly string[]
  /** Request body members that declare or steer tools (`tools`, `tool_choice`, …). */
  readonly tools: readonly string[]
  /** Response members, at any depth, that hold tool calls (`tool_calls`, `functionCall`, …). */
  readonly toolCalls: readonly string[]
}

/**
 * One provider's knowledge of its wire format: everything provider-specific ReplayKit does
 * (steps, refusals, diff sections, one-line views) asks the adapter found for the request.
 *
 * Register your own with `registerAdapter` (docs/providers.md); it is asked before the
 * built-in ones. Every method must return, never throw, whatever the body holds.
 */
export interface ProviderAdapter {
  /** Written into the steps' `provider`: lower case, `[a-z][a-z0-9._-]*` (`openai`, `ollama`). */
  readonly provider: Provider
  /**
   * The endpoint name (`chat.completions`, `messages`, `generateContent`, …) for a method and
   * URL path, or undefined when this provider does not serve it. Hosts are never looked at:
   * gateways, proxies and test servers put the same paths on other hosts.
   */
  endpointFor(method: string, path: string): string | undefined
  /**
   * Response fields the provider makes up anew on every call (ids, creation times, fingerprints,
   * tool call ids), as JSON paths into each response document: the body, each element of a
   * JSON-array body, each stream event's data. live-compare leaves them out of the comparison
   * (and reads a live tool call id as the recorded one wherever the code sends it back).
   * Optional: an adapter whose provider makes up no such fields leaves it out.
   */
  readonly volatileResponsePaths?: readonly string[]
  summarizeRequest(endpoint: string, request: HttpRequestData): RequestSummary
  /** Summarise a 2xx response, buffered or streamed. */
  summarizeResponse(endpoint: string, response: HttpResponseData): ResponseSummary
  /**
   * The body of the provider's own error shape for a request ReplayKit refuses (strict
   * replay miss, a request after the test ended), carrying `message`. It is sent as a 400
   * with `x-should-retry: false`, so the provider's SDK throws at once instead of retrying.
   */
  refusalBody(endpoint: string, message: string): JsonValue
  /** The last prompt message as text (for one-line views such as `replaykit inspect`). */
  promptText(endpoint: string, request: HttpRequestData): string | undefined
  readonly fields: AdapterFields
}

/** The adapter and endpoint a request belongs to. */
export interface AdapterMatch {
  adapter: ProviderAdapter
  endpoint: string
}
