/**
 * JSON Schema (draft 2020-12) of `.rpk` files, schema version 1.x.
 *
 * Published as `schema/rpk-1.schema.json` in the package (written from this
 * module at build time; a test keeps the two identical). Unknown members are
 * refused so that a typo in a hand-edited file is caught, not ignored.
 */

/** Schema version written by this release. See docs/schema.md for the policy. */
export const SCHEMA_VERSION = '1.1.0'

const str = { type: 'string' } as const
const int = { type: 'integer', minimum: 0 } as const
const num = { type: 'number', minimum: 0 } as const

const body = {
  oneOf: [
    { type: 'object', required: ['json'], properties: { json: {} }, additionalProperties: false },
    { type: 'object', required: ['text'], properties: { text: str }, additionalProperties: false },
    { type: 'object', required: ['base64'], properties: { base64: str }, additionalProperties: false },
    {
      type: 'object',
      required: ['blob'],
      properties: { blob: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' } },
      additionalProperties: false,
    },
  ],
} as const

/** An HTTP token: what `Headers` and `Request` accept as a header name or a method. */
const token = { type: 'string', pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$" } as const
/** A header value or status text `Headers`/`Response` accept: one line of Latin-1, no control characters but tab. */
const fieldValue = { type: 'string', pattern: '^[\\t\\x20-\\x7e\\x80-\\xff]*$' } as const
/** An SSE field value: one line (a line break would start another field on replay). */
const oneLine = { type: 'string', pattern: '^[^\\r\\n]*$' } as const

const headers = { type: 'object', propertyNames: token, additionalProperties: fieldValue } as const

const timing = {
  type: 'object',
  required: ['startMs'],
  properties: { startMs: num, durationMs: num },
  additionalProperties: false,
} as const

const streamEvent = {
  type: 'object',
  properties: { event: oneLine, id: oneLine, json: {}, data: str, atMs: num },
  additionalProperties: false,
} as const

const stream = {
  type: 'object',
  required: ['format', 'events', 'completion'],
  properties: {
    format: { enum: ['sse', 'chunks'] },
    lineEnding: { enum: ['\n', '\r\n'] },
    events: { type: 'array', items: streamEvent },
    completion: { enum: ['clean', 'interrupted', 'error'] },
    error: str,
  },
  additionalProperties: false,
} as const

const request = {
  type: 'object',
  required: ['method', 'url', 'headers'],
  properties: { method: token, url: str, headers, body },
  additionalProperties: false,
} as const

const response = {
  type: 'object',
  required: ['status', 'headers'],
  // What a Response can have: 200-599 (1xx are interim, never a recorded answer).
  properties: {
    status: { type: 'integer', minimum: 200, maximum: 599 },
    statusText: fieldValue,
    headers,
    body,
    stream,
  },
  additionalProperties: false,
} as const

// Built-in providers and the names of registered adapters (providers/registry.ts checks the same pattern).
const provider = { type: 'string', pattern: '^[a-z][a-z0-9._-]*$' } as const

const base = { seq: int, correlationId: str, timing } as const
const baseRequired = ['kind', 'seq', 'correlationId'] as const

function stepOf(kind: string, properties: Record<string, unknown>, required: string[]) {
  return {
    type: 'object',
    required: [...baseRequired, ...required],
    properties: { kind: { const: kind }, ...base, ...properties },
    additionalProperties: false,
  } as const
}

const toolCall = {
  type: 'object',
  required: ['id', 'name', 'arguments'],
  properties: { id: str, name: str, arguments: {} },
  additionalProperties: false,
} as const

const usage = {
  type: 'object',
  properties: { inputTokens: num, outputTokens: num, totalTokens: num },
  additionalProperties: false,
} as const

const step = {
  type: 'object',
  required: ['kind'],
  properties: {
    kind: {
      enum: [
        'http.request',
        'http.response',
        'model.request',
        'model.response',
        'tool.request',
        'tool.response',
        'error.event',
      ],
    },
  },
  // Dispatch on kind so a schema error names the member that is wrong, not every branch.
  allOf: [
    ['http.request', stepOf('http.request', { request }, ['request'])],
    ['http.response', stepOf('http.response', { response }, ['response'])],
    [
      'model.request',
      stepOf('model.request', { provider, endpoint: str, model: str, stream: { type: 'boolean' }, request }, [
        'provider',
        'endpoint',
        'stream',
        'request',
      ]),
    ],
    [
      'model.response',
      stepOf(
        'model.response',
        { provider, text: str, toolCalls: { type: 'array', items: toolCall }, usage, finishReason: str, response },
        ['provider', 'response'],
      ),
    ],
    [
      'tool.request',
      stepOf('tool.request', { callId: str, name: str, arguments: {} }, ['callId', 'name', 'arguments']),
    ],
    [
      'tool.response',
      stepOf('tool.response', { callId: str, output: {}, isError: { type: 'boolean' } }, ['callId', 'output']),
    ],
    ['error.event', stepOf('error.event', { message: str, code: str }, ['message'])],
  ].map(([kind, then]) => ({ if: { properties: { kind: { const: kind } } }, then })),
} as const

const drawn = {
  type: 'object',
  required: ['source', 'value'],
  properties: {
    source: { enum: ['Date.now', 'Date', 'Math.random', 'crypto.randomUUID', 'crypto.getRandomValues'] },
    value: { type: ['number', 'string'] },
  },
  additionalProperties: false,
} as const

const outcome = {
  oneOf: [
    {
      type: 'object',
      required: ['type'],
      properties: { type: { const: 'return' }, value: {} },
      additionalProperties: false,
    },
    {
      type: 'object',
      required: ['type', 'error'],
      properties: {
        type: { const: 'throw' },
        error: {
          type: 'object',
          required: ['name', 'message'],
          properties: { name: str, message: str },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
  ],
} as const

const run = {
  type: 'object',
  required: ['name', 'index', 'steps', 'outcome'],
  properties: {
    name: str,
    index: { type: 'integer', minimum: 1 },
    steps: { type: 'array', items: step },
    outcome,
    drawn: { type: 'array', items: drawn },
    timing: {
      type: 'object',
      required: ['totalMs', 'networkMs', 'ownMs'],
      properties: { totalMs: num, networkMs: num, ownMs: num },
      additionalProperties: false,
    },
    // Since 1.1: sha256 of the file's bytes before its own line, the last (artifact/text-hash.ts).
    textHash: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
  },
  additionalProperties: false,
} as const

/** The schema object, as published. */
export const rpkSchemaV1: Record<string, unknown> = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'replaykit:rpk-1.schema.json',
  title: 'ReplayKit recording (.rpk), schema version 1.x',
  type: 'object',
  required: ['schemaVersion', 'contentHash', 'meta', 'runs'],
  properties: {
    schemaVersion: { type: 'string', pattern: '^1\\.\\d+\\.\\d+$' },
    contentHash: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
    meta: {
      type: 'object',
      required: ['writer'],
      properties: {
        writer: str,
        source: str,
        updatedAt: str,
        // 1.1: how a long-lived capture (the gateway) recorded the runs; volatile, outside the content hash.
        capture: {
          type: 'object',
          required: ['mode', 'policySource'],
          properties: { mode: str, policySource: str },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
    // "__proto__" is the one key a JavaScript object cannot hold as a plain member.
    runs: { type: 'object', propertyNames: { not: { const: '__proto__' } }, additionalProperties: run },
    blobs: {
      type: 'object',
      propertyNames: { pattern: '^sha256:[0-9a-f]{64}$' },
      additionalProperties: body,
    },
    signature: {
      type: 'object',
      required: ['algorithm', 'keyId', 'value'],
      properties: { algorithm: { const: 'ed25519' }, keyId: str, value: str },
      additionalProperties: false,
    },
    // Since 1.1: sha256 of the file's bytes before its own line, the last (artifact/text-hash.ts).
    textHash: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
  },
  additionalProperties: false,
}
