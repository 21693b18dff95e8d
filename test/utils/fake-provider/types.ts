/**
 * Public types of the fake provider used by end-to-end tests and benchmarks.
 */

export interface FakeProviderOptions {
  /** Delay before answering any request, in ms (default 0). */
  latencyMs?: number
  /** Gap between two stream events, in ms (default 0: events are written back to back). */
  eventDelayMs?: number
  /**
   * Hand out fresh ids (response, message, tool call ids) and a later `created` time on every
   * call, as a real provider does, instead of ids derived from the request alone (default false).
   */
  freshIds?: boolean
  /**
   * Accept only these API keys (Bearer, x-api-key, x-goog-api-key or `?key=`): any other
   * request gets the provider's 401. Default: every key is accepted.
   */
  apiKeys?: string[]
  /** Override the scripted answer: return a reply, or undefined to keep the default one. */
  reply?: FakeReplyScript
}

/** A request the fake received, in arrival order. */
export interface ReceivedRequest {
  method: string
  /** Path with query string, as sent (`/v1beta/models/x:streamGenerateContent?alt=sse`). */
  path: string
  headers: Record<string, string | string[] | undefined>
  /** Parsed JSON when the body is JSON, else the text; undefined when empty. */
  body: unknown
}

/** The conversation a provider request carries, reduced to what the script decides on. */
export interface FakeTurn {
  provider: 'openai' | 'anthropic' | 'gemini'
  /** `chat.completions`, `responses`, `messages`, `generateContent`, `streamGenerateContent`. */
  endpoint: string
  model: string
  /** Text of the last user message ('' when there is none). */
  lastUserText: string
  /** Names of the tools the request declares. */
  tools: string[]
  /** Tool outputs sent back after the last user message, as text, in order. */
  toolOutputs: string[]
  /** Whether the conversation holds any tool result at all. */
  hasToolResult: boolean
}

/** What the fake model answers: text, or one tool call. */
export type FakeReply =
  | { type: 'text'; text: string }
  | { type: 'tool'; name: string; arguments: Record<string, unknown> }

export type FakeReplyScript = (turn: FakeTurn) => FakeReply | undefined

export interface FakeProvider {
  /** Origin of the server: `http://127.0.0.1:PORT`. */
  readonly url: string
  /** Every request received since start or the last reset. */
  readonly requests: ReceivedRequest[]
  /** Forget the received requests. */
  reset(): void
  /** Replace (or remove, with undefined) the reply script at run time: for drift tests. */
  setReply(script: FakeReplyScript | undefined): void
  /** Stop the server and drop open connections. */
  close(): Promise<void>
}
