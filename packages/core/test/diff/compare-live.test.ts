/**
 * compareLiveRun (live-compare): like with like. The adapters' volatile response fields and
 * the user's ignoreResponsePaths are left out, a live tool call id the code sends back reads as
 * the recorded one, a stream's chunking does not count, the answer text is reported first.
 */
import { expect, test } from 'vitest'
import {
  compareLiveRun,
  compareRuns,
  type HttpRequestData,
  type HttpResponseData,
  isReplayKitError,
  type Run,
  type Step,
} from '../../src/index.js'
import { exchangeSteps } from '../../src/public/engine.js'

const CHAT = 'https://api.openai.com/v1/chat/completions'
const MESSAGES = 'https://api.anthropic.com/v1/messages'
const GEMINI = 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:streamGenerateContent'

interface Exchange {
  request: HttpRequestData
  response: HttpResponseData
}

function runOf(exchanges: Exchange[], drawn: Run['drawn'] = []): Run {
  const steps: Step[] = []
  exchanges.forEach((exchange, i) => {
    steps.push(...exchangeSteps({ ...exchange, correlationId: `x${i + 1}`, seq: steps.length }))
  })
  return { name: 't', index: 1, steps, outcome: { type: 'return', value: 'done' }, drawn }
}

const post = (url: string, json: unknown): HttpRequestData => ({
  method: 'POST',
  url,
  headers: { 'content-type': 'application/json' },
  body: { json: json as never },
})
const ok = (json: unknown): HttpResponseData => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: { json: json as never },
})
const sse = (events: unknown[]): HttpResponseData => ({
  status: 200,
  headers: { 'content-type': 'text/event-stream' },
  stream: { format: 'sse', events: events.map((json) => ({ json: json as never })), completion: 'clean' },
})

/** An OpenAI tool loop as a provider answers it on one call: `id` names its ids and time. */
function chatLoop(id: string, created: number, answer = 'It is 12C in Oslo.'): Exchange[] {
  const messages = [{ role: 'user', content: 'weather in Oslo?' }]
  const call = { id: `call_${id}`, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }
  const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 }
  return [
    {
      request: post(CHAT, { model: 'gpt-4o', messages }),
      response: ok({
        id: `chatcmpl-${id}`,
        created,
        system_fingerprint: `fp_${id}`,
        choices: [
          { index: 0, message: { role: 'assistant', content: null, tool_calls: [call] }, finish_reason: 'tool_calls' },
        ],
        usage,
      }),
    },
    {
      request: post(CHAT, {
        model: 'gpt-4o',
        messages: [
          ...messages,
          { role: 'assistant', content: null, tool_calls: [call] },
          { role: 'tool', tool_call_id: call.id, content: '12C' },
        ],
      }),
      response: ok({
        id: `chatcmpl-${id}-2`,
        created: created + 1,
        system_fingerprint: `fp_${id}`,
        choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' }],
        usage,
      }),
    },
  ]
}

test('an unchanged provider with new ids, times and tool call ids compares equal', () => {
  const recorded = runOf(chatLoop('aaaa', 1_700_000_000))
  const live = runOf(chatLoop('bbbb', 1_700_000_500))
  expect(compareRuns(recorded, live).equal).toBe(false)
  const comparison = compareLiveRun(recorded, live)
  expect(comparison.all).toEqual([])
  expect(comparison.equal).toBe(true)
})

test('a drifted answer is reported at the answer text first', () => {
  const recorded = runOf(chatLoop('aaaa', 1_700_000_000))
  const live = runOf(chatLoop('bbbb', 1_700_000_500, 'It is sunny in Oslo.'))
  const comparison = compareLiveRun(recorded, live)
  expect(comparison.first).toMatchObject({
    kind: 'model.response',
    correlationId: 'x2',
    path: '$.text',
    expected: 'It is 12C in Oslo.',
    actual: 'It is sunny in Oslo.',
  })
})

test('a changed request the code sends is still a difference (ids aliased, nothing else)', () => {
  const recorded = runOf(chatLoop('aaaa', 1))
  const changed = chatLoop('bbbb', 2)
  const body = (changed[1]!.request.body as { json: { messages: Array<{ content: unknown }> } }).json
  body.messages[2]!.content = '13C'
  const comparison = compareLiveRun(recorded, runOf(changed))
  // The tool result the code sent back comes first (its step precedes the request), then the request.
  expect(comparison.first).toMatchObject({ kind: 'tool.response', path: '$.output', actual: '13C' })
  expect(comparison.all[1]).toMatchObject({ kind: 'model.request', path: '$.request.body.json.messages[2].content' })
  expect(comparison.differences).toBe(2)
})

/** An Anthropic streamed answer, cut into the given text pieces. */
function anthropicStream(id: string, pieces: string[], outputTokens = 7): Exchange {
  return {
    request: post(MESSAGES, {
      model: 'claude',
      max_tokens: 100,
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    }),
    response: sse([
      {
        type: 'message_start',
        message: {
          id: `msg_${id}`,
          type: 'message',
          role: 'assistant',
          content: [],
          usage: { input_tokens: 3, output_tokens: 1 },
        },
      },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      ...pieces.map((text) => ({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })),
      { type: 'content_block_stop', index: 0 },
      { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: outputTokens } },
      { type: 'message_stop' },
    ]),
  }
}

test('a streamed answer cut into other chunks compares by its assembled text', () => {
  const recorded = runOf([anthropicStream('a', ['Hello ', 'there.'])])
  expect(compareLiveRun(recorded, runOf([anthropicStream('b', ['Hel', 'lo the', 're.'])])).equal).toBe(true)
  const drift = compareLiveRun(recorded, runOf([anthropicStream('b', ['Goodbye.'])]))
  expect(drift.first).toMatchObject({ path: '$.text', expected: 'Hello there.', actual: 'Goodbye.' })
})

test('ignoreResponsePaths leaves fields out of the response and of its summary', () => {
  const recorded = runOf([anthropicStream('a', ['Hi.'], 7)])
  const live = runOf([anthropicStream('b', ['Hi.'], 9)])
  expect(compareLiveRun(recorded, live).first).toMatchObject({ path: '$.usage.outputTokens' })
  expect(compareLiveRun(recorded, live, { ignoreResponsePaths: ['$.usage'] }).equal).toBe(true)
})

test('ignoreResponsePaths reaches plain HTTP responses too', () => {
  const search = (requestId: string): Exchange => ({
    request: { method: 'GET', url: 'http://127.0.0.1:4011/search?q=x', headers: {} },
    response: ok({ requestId, hits: ['a'] }),
  })
  const recorded = runOf([search('r1')])
  const live = runOf([search('r2')])
  expect(compareLiveRun(recorded, live).first).toMatchObject({
    kind: 'http.response',
    path: '$.response.body.json.requestId',
  })
  expect(compareLiveRun(recorded, live, { ignoreResponsePaths: ['$.requestId'] }).equal).toBe(true)
})

test("Gemini's responseId is volatile in each element of a JSON-array stream", () => {
  const gemini = (responseId: string): Exchange => ({
    request: post(GEMINI, { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    response: ok([
      { candidates: [{ content: { role: 'model', parts: [{ text: 'Hel' }] } }], responseId },
      { candidates: [{ content: { role: 'model', parts: [{ text: 'lo' }] }, finishReason: 'STOP' }], responseId },
    ]),
  })
  expect(compareLiveRun(runOf([gemini('r1')]), runOf([gemini('r2')])).equal).toBe(true)
})

test('drawn values are not judged: live-compare hands the recorded ones back and judges the provider', () => {
  const recorded = runOf(chatLoop('a', 1), [{ source: 'Math.random', value: 0.5 }])
  const live = runOf(chatLoop('a', 1), [{ source: 'Math.random', value: 0.25 }])
  expect(compareRuns(recorded, live).equal).toBe(false)
  expect(compareLiveRun(recorded, live).equal).toBe(true)
})

test('a mistyped ignoreResponsePaths is RPK_BAD_CONFIG naming the option', () => {
  const run = runOf(chatLoop('a', 1))
  let error: unknown
  try {
    compareLiveRun(run, run, { ignoreResponsePaths: ['$.usage['] })
  } catch (caught) {
    error = caught
  }
  expect(isReplayKitError(error) && error.code).toBe('RPK_BAD_CONFIG')
  expect(String((error as Error).message)).toContain('$.usage[')
  expect(JSON.stringify(error)).toContain('ignoreResponsePaths')
})

test('a Responses API response id the code sends back (previous_response_id, a URL) reads as the recorded one', () => {
  const RESPONSES = 'https://api.openai.com/v1/responses'
  const turn = (id: string): Exchange[] => [
    {
      request: post(RESPONSES, { model: 'gpt-4o', input: 'hi' }),
      response: ok({ id: `resp_${id}`, created_at: 1, output: [{ id: `msg_${id}`, type: 'message', content: [] }] }),
    },
    {
      request: post(RESPONSES, { model: 'gpt-4o', input: 'more', previous_response_id: `resp_${id}` }),
      response: ok({ id: `resp_${id}2`, created_at: 2, output: [] }),
    },
    {
      request: { method: 'GET', url: `${RESPONSES}/resp_${id}?include=usage`, headers: {} },
      response: ok({ id: `resp_${id}`, status: 'completed' }),
    },
  ]
  expect(compareLiveRun(runOf(turn('a')), runOf(turn('b'))).all).toEqual([])
})
