/**
 * The `.rpk` artifact model: what a recording holds, as TypeScript types.
 *
 * One `.rpk` file belongs to one test file and holds its runs keyed by
 * `"<full test name> <counter>"`, like the keys of a `.snap` file. A run is the
 * ordered list of steps one `capture(fn)` call produced, plus the outcome of
 * `fn` and its timing.
 *
 * Everything here is plain JSON so that the canonical writer can serialise it
 * byte for byte the same on every OS. The JSON Schema in `schema/` is the
 * published contract; these types mirror it.
 *
 * @see ../../schema/rpk-1.schema.json
 */

/** Any JSON value. Recorded bodies, outputs and tool arguments are kept as JSON. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }
export type JsonObject = { [key: string]: JsonValue }

/** Header map with lower-cased names and redacted values. */
export type Headers = Record<string, string>

/**
 * A request or response body. Exactly one representation is present:
 * parsed JSON when the content type says JSON and it parses, text for other
 * textual types, base64 for binary, or a reference into `RpkFile.blobs` when
 * a large body was stored once by content hash.
 */
export type Body = { json: JsonValue } | { text: string } | { base64: string } | { blob: string }

/**
 * Volatile timing of a step or a run. Excluded from the content hash: the same
 * traffic recorded on two machines hashes the same.
 */
export interface StepTiming {
  /** Milliseconds since the run started when the step began. */
  startMs: number
  /** Milliseconds the step took (for a response: first byte to last byte included). */
  durationMs?: number
}

/** One server-sent event, or one raw chunk of a non-SSE streamed body. */
export interface StreamEvent {
  /** SSE `event:` field, when the server named the event. */
  event?: string
  /** SSE `id:` field. */
  id?: string
  /** The `data:` payload parsed as JSON, when it is JSON. */
  json?: JsonValue
  /** The `data:` payload (or the raw chunk text) when it is not JSON. */
  data?: string
  /** Milliseconds after the response headers arrived. Volatile: used for paced replay only. */
  atMs?: number
}

/** How a stream ended: cleanly, cut off, or with an error event from the server. */
export type StreamCompletion = 'clean' | 'interrupted' | 'error'

/** A streamed (SSE or chunked) body, event by event. */
export interface StreamDetail {
  format: 'sse' | 'chunks'
  /** Line ending the server used between fields (Gemini uses CRLF). */
  lineEnding?: '\n' | '\r\n'
  events: StreamEvent[]
  completion: StreamCompletion
  /** Why the stream did not complete cleanly. */
  error?: string
}

export interface HttpRequestData {
  method: string
  /** Normalised URL: sorted query, no default port, redacted key parameters. */
  url: string
  headers: Headers
  body?: Body
}

export interface HttpResponseData {
  status: number
  statusText?: string
  headers: Headers
  /** A buffered body. Absent when the response was streamed (see `stream`) or empty. */
  body?: Body
  stream?: StreamDetail
}

/** Providers ReplayKit understands natively. */
export type BuiltInProvider = 'openai' | 'anthropic' | 'gemini'

/**
 * The provider of a model step: a built-in one or the name of an adapter a user registered
 * (`[a-z][a-z0-9._-]*`). Anything no adapter understands is plain HTTP.
 */
export type Provider = BuiltInProvider | (string & {})

/** A tool call the model asked for, normalised across providers. */
export interface ToolCall {
  /** Provider call id (`call_…`, `toolu_…`); Gemini has none, so an index-based id is made. */
  id: string
  name: string
  /** Parsed arguments; the raw string when the model sent invalid JSON. */
  arguments: JsonValue
}

export interface ModelUsage {
  inputTokens?: number
  outputTokens?: number
  totalTokens?: number
}

interface StepBase {
  /** Position in the run, from 0. Deterministic: assigned in request-start order. */
  seq: number
  /** Ties the steps of one exchange together (`x1`, `x2`, …): request, response, tool steps. */
  correlationId: string
  timing?: StepTiming
}

export interface HttpRequestStep extends StepBase {
  kind: 'http.request'
  request: HttpRequestData
}

export interface HttpResponseStep extends StepBase {
  kind: 'http.response'
  response: HttpResponseData
}

export interface ModelRequestStep extends StepBase {
  kind: 'model.request'
  provider: Provider
  /** Which API: `chat.completions`, `responses`, `models`, `messages`, `generateContent`, … */
  endpoint: string
  model?: string
  /** Whether the client asked for a streamed answer. */
  stream: boolean
  /** The raw request; its JSON body holds the messages or input, tools and parameters. */
  request: HttpRequestData
}

export interface ModelResponseStep extends StepBase {
  kind: 'model.response'
  provider: Provider
  /** Assembled answer text (for a stream: all deltas joined). */
  text?: string
  toolCalls?: ToolCall[]
  usage?: ModelUsage
  finishReason?: string
  /** The raw response, with the stream event by event when it was streamed. */
  response: HttpResponseData
}

/** A tool call the model made, one step per call, after the model.response that asked for it. */
export interface ToolRequestStep extends StepBase {
  kind: 'tool.request'
  callId: string
  name: string
  arguments: JsonValue
}

/** A tool result the code sent back to the model, before the model.request that carries it. */
export interface ToolResponseStep extends StepBase {
  kind: 'tool.response'
  callId: string
  output: JsonValue
  isError?: boolean
}

/** A failure on the capture path or the network: the request got no response. */
export interface ErrorEventStep extends StepBase {
  kind: 'error.event'
  message: string
  code?: string
}

export type Step =
  | HttpRequestStep
  | HttpResponseStep
  | ModelRequestStep
  | ModelResponseStep
  | ToolRequestStep
  | ToolResponseStep
  | ErrorEventStep

export type StepKind = Step['kind']

/** Sources of non-determinism that a capture records and replays in order. */
export type DeterminismSource = 'Date.now' | 'Date' | 'Math.random' | 'crypto.randomUUID' | 'crypto.getRandomValues'

/** One value drawn from a time or random source inside a capture. */
export interface DrawnValue {
  source: DeterminismSource
  /** A number for time and Math.random, a string for UUIDs, base64 for random bytes. */
  value: number | string
}

/** What `fn` produced: its return value (as JSON), or the error it threw. */
export type RunOutcome =
  | { type: 'return'; value?: JsonValue }
  | { type: 'throw'; error: { name: string; message: string } }

/** Timing of a whole run. Volatile: excluded from the content hash. */
export interface RunTiming {
  /** Wall time of `fn`. */
  totalMs: number
  /** Time spent waiting on the network (or on replayed responses). */
  networkMs: number
  /** The code's own time: total minus network. The slowdown gate compares this. */
  ownMs: number
}

export interface Run {
  /** Full test name (describe blocks joined with ` > `), or a name given by the user. */
  name: string
  /** 1-based counter of `capture` calls with this name in the test. */
  index: number
  steps: Step[]
  outcome: RunOutcome
  /** Time and random values drawn inside the capture, in draw order. */
  drawn?: DrawnValue[]
  timing?: RunTiming
}

/** Metadata about the writing of a file. Volatile: excluded from the content hash. */
export interface RpkMeta {
  /** Tool that wrote the file, `@replaykit/core@x.y.z`. */
  writer: string
  /** Test file the runs belong to, relative to the `.rpk`, with `/` separators. */
  source?: string
  /** ISO time of the last write. */
  updatedAt?: string
  /** How the runs were captured, when a long-lived capture (the gateway) wrote them. Schema 1.1; outside the content hash. */
  capture?: RpkCapture
}

/** The capture's mode and where its policy came from (`replaykit listen`: its flags, a config file, …). */
export interface RpkCapture {
  /** `live`, `replay-strict`, `replay-hybrid` or `synthetic` for the gateway. */
  mode: string
  /** Where the mode and policy were set, e.g. `cli flags`, `startGateway options`. */
  policySource: string
}

/** A whole `.rpk` file. */
export interface RpkFile {
  /** Semver of the schema the file follows. */
  schemaVersion: string
  /** `sha256:<hex>` over the canonical recorded content (see `computeContentHash`). */
  contentHash: string
  meta: RpkMeta
  /** Runs keyed by `"<name> <index>"`. */
  runs: Record<string, Run>
  /** Large bodies stored once, keyed by `sha256:<hex>` of their canonical JSON. */
  blobs?: Record<string, Body>
  /** Optional ed25519 signature over the content hash. */
  signature?: { algorithm: 'ed25519'; keyId: string; value: string }
}
