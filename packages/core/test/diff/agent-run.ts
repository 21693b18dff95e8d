import type { Run, Step } from '../../src/index.js'

const tools = [
  {
    type: 'function',
    function: { name: 'search_docs', parameters: { type: 'object', properties: { query: { type: 'string' } } } },
  },
]

/**
 * An agent run of 8 steps: the model asks for a tool, the tool searches over
 * HTTP, the result goes back to the model, which answers.
 */
export function agentRun(): Run {
  const steps: Step[] = [
    {
      kind: 'model.request',
      seq: 0,
      correlationId: 'x1',
      provider: 'openai',
      endpoint: 'chat.completions',
      model: 'gpt-4o-mini',
      stream: false,
      request: {
        method: 'POST',
        url: 'http://127.0.0.1:4010/v1/chat/completions',
        headers: { 'content-type': 'application/json' },
        body: {
          json: {
            model: 'gpt-4o-mini',
            temperature: 0,
            metadata: { requestId: 'req-1' },
            tools,
            messages: [
              { role: 'system', content: 'You answer from the docs.' },
              { role: 'user', content: 'How do I re-record?' },
            ],
          },
        },
      },
      timing: { startMs: 0.1 },
    },
    {
      kind: 'model.response',
      seq: 1,
      correlationId: 'x1',
      provider: 'openai',
      finishReason: 'tool_calls',
      toolCalls: [{ id: 'call_1', name: 'search_docs', arguments: { query: 're-record' } }],
      response: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: { json: { id: 'chatcmpl-1' } },
      },
      timing: { startMs: 1, durationMs: 4 },
    },
    {
      kind: 'tool.request',
      seq: 2,
      correlationId: 'x1',
      callId: 'call_1',
      name: 'search_docs',
      arguments: { query: 're-record' },
    },
    {
      kind: 'http.request',
      seq: 3,
      correlationId: 'x2',
      request: { method: 'GET', url: 'http://127.0.0.1:4011/v1/search?q=re-record', headers: {} },
      timing: { startMs: 6 },
    },
    {
      kind: 'http.response',
      seq: 4,
      correlationId: 'x2',
      response: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: { json: { hits: [{ title: 'Re-recording', text: 'Run replaykit test --update-replays.' }] } },
      },
      timing: { startMs: 7, durationMs: 1 },
    },
    {
      kind: 'tool.response',
      seq: 5,
      correlationId: 'x1',
      callId: 'call_1',
      output: 'Run replaykit test --update-replays.',
    },
    {
      kind: 'model.request',
      seq: 6,
      correlationId: 'x3',
      provider: 'openai',
      endpoint: 'chat.completions',
      model: 'gpt-4o-mini',
      stream: false,
      request: {
        method: 'POST',
        url: 'http://127.0.0.1:4010/v1/chat/completions',
        headers: { 'content-type': 'application/json' },
        body: {
          json: {
            model: 'gpt-4o-mini',
            temperature: 0,
            metadata: { requestId: 'req-2' },
            tools,
            messages: [
              { role: 'system', content: 'You answer from the docs.' },
              { role: 'user', content: 'How do I re-record?' },
              { role: 'tool', tool_call_id: 'call_1', content: 'Run replaykit test --update-replays.' },
            ],
          },
        },
      },
      timing: { startMs: 9 },
    },
    {
      kind: 'model.response',
      seq: 7,
      correlationId: 'x3',
      provider: 'openai',
      text: 'Run `replaykit test --update-replays`.',
      finishReason: 'stop',
      usage: { inputTokens: 40, outputTokens: 9, totalTokens: 49 },
      response: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: { json: { id: 'chatcmpl-2' } },
      },
      timing: { startMs: 10, durationMs: 3 },
    },
  ]
  return {
    name: 'agent answers from the docs',
    index: 1,
    steps,
    outcome: { type: 'return', value: { answer: 'Run `replaykit test --update-replays`.' } },
    drawn: [
      { source: 'Date.now', value: 1_763_900_000_000 },
      { source: 'crypto.randomUUID', value: '6f1c2a7e-3b1d-4c55-9a0e-2f4b8d1e7c90' },
    ],
    timing: { totalMs: 15, networkMs: 12, ownMs: 3 },
  }
}

/** A deep copy to edit in a test. */
export function copy<T>(value: T): T {
  return structuredClone(value)
}
