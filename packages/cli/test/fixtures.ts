/**
 * Recordings for the CLI tests, written with core's own writer so they are
 * exactly what the test plugins produce.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type RpkContent, type Run, type Step, writeRpkFile } from '@replaykit/core'

/** A model call that asks for a tool, a search over HTTP, and a streamed final answer. */
export function agentRun(options: { question?: string; answer?: string; ownMs?: number } = {}): Run {
  const question = options.question ?? 'How do I re-record?'
  const answer = options.answer ?? 'Run `replaykit test --update-replays`.'
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
        body: { json: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: question }] } },
      },
      timing: { startMs: 0.2 },
    },
    {
      kind: 'model.response',
      seq: 1,
      correlationId: 'x1',
      provider: 'openai',
      finishReason: 'tool_calls',
      toolCalls: [{ id: 'call_1', name: 'search_docs', arguments: { query: 're-record' } }],
      response: { status: 200, headers: {}, body: { json: { id: 'chatcmpl-1' } } },
      timing: { startMs: 1, durationMs: 12.34 },
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
      timing: { startMs: 14 },
    },
    {
      kind: 'http.response',
      seq: 4,
      correlationId: 'x2',
      response: {
        status: 200,
        headers: {},
        body: { json: { hits: ['Run replaykit test --update-replays to record again.'] } },
      },
      timing: { startMs: 15, durationMs: 2 },
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
      stream: true,
      request: {
        method: 'POST',
        url: 'http://127.0.0.1:4010/v1/chat/completions',
        headers: { 'content-type': 'application/json' },
        body: {
          json: {
            model: 'gpt-4o-mini',
            stream: true,
            messages: [
              { role: 'user', content: question },
              { role: 'tool', tool_call_id: 'call_1', content: 'Run replaykit test --update-replays.' },
            ],
          },
        },
      },
      timing: { startMs: 18 },
    },
    {
      kind: 'model.response',
      seq: 7,
      correlationId: 'x3',
      provider: 'openai',
      text: answer,
      finishReason: 'stop',
      response: {
        status: 200,
        headers: { 'content-type': 'text/event-stream' },
        stream: {
          format: 'sse',
          completion: 'clean',
          events: [
            { json: { choices: [{ delta: { content: answer } }] }, atMs: 1 },
            { data: '[DONE]', atMs: 2 },
          ],
        },
      },
      timing: { startMs: 19, durationMs: 3 },
    },
  ]
  const ownMs = options.ownMs ?? 4
  return {
    name: 'agent answers from the docs',
    index: 1,
    steps,
    outcome: { type: 'return', value: answer },
    drawn: [{ source: 'Date.now', value: 1_763_900_000_000 }],
    timing: { totalMs: ownMs + 20, networkMs: 20, ownMs },
  }
}

/** A run that fetched the weather and threw. */
export function failingRun(): Run {
  return {
    name: 'weather > fails offline',
    index: 1,
    steps: [
      {
        kind: 'http.request',
        seq: 0,
        correlationId: 'x1',
        request: { method: 'GET', url: 'http://127.0.0.1:4012/weather?city=Oslo', headers: {} },
      },
      {
        kind: 'error.event',
        seq: 1,
        correlationId: 'x1',
        message: 'connect ECONNREFUSED 127.0.0.1:4012',
        code: 'ECONNREFUSED',
      },
    ],
    outcome: { type: 'throw', error: { name: 'TypeError', message: 'fetch failed' } },
  }
}

export function key(run: Run): string {
  return `${run.name} ${run.index}`
}

/** Write runs to `dir/name` with core's writer; returns the path. */
export function writeRuns(dir: string, name: string, runs: Run[], source = 'agent.test.ts'): string {
  const file = join(dir, name)
  const content: RpkContent = { runs: Object.fromEntries(runs.map((run) => [key(run), run])), source }
  writeRpkFile(file, content)
  return file
}

/** Write arbitrary text (a damaged file) to `dir/name`; returns the path. */
export function writeText(dir: string, name: string, text: string): string {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}
