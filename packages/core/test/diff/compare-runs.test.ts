import { describe, expect, test } from 'vitest'
import { compareRuns, compareSteps, MAX_DIVERGENCES } from '../../src/diff/index.js'
import type { ModelRequestStep, ModelResponseStep, Run, Step } from '../../src/index.js'
import { sampleRun } from '../fixtures/sample-runs.js'
import { agentRun, copy } from './agent-run.js'

function modelRequest(run: Run, index: number): ModelRequestStep {
  const step = run.steps[index] as Step
  if (step.kind !== 'model.request') throw new Error(`step ${index} is ${step.kind}`)
  return step
}

function messages(step: ModelRequestStep): Array<{ role: string; content: string }> {
  return (step.request.body as { json: { messages: Array<{ role: string; content: string }> } }).json.messages
}

describe('compareRuns', () => {
  test('equal runs are equal, and timing does not count', () => {
    const expected = agentRun()
    const actual = copy(expected)
    actual.timing = { totalMs: 99, networkMs: 1, ownMs: 98 }
    for (const step of actual.steps) step.timing = { startMs: 42, durationMs: 7 }
    const result = compareRuns(expected, actual)
    expect(result).toEqual({
      equal: true,
      differences: 0,
      all: [],
      expectedSteps: 8,
      actualSteps: 8,
      outcomeEqual: true,
    })
    expect(result.first).toBeUndefined()
  })

  test('a changed prompt is found at its step, in the prompt section, with the path and both values', () => {
    const expected = agentRun()
    const actual = copy(expected)
    const request = modelRequest(actual, 0)
    const first = messages(request)[1] as { content: string }
    first.content = 'How do I record again?'
    const result = compareRuns(expected, actual)
    expect(result.equal).toBe(false)
    expect(result.differences).toBe(1)
    expect(result.first).toMatchObject({
      step: 1,
      seq: 0,
      kind: 'model.request',
      correlationId: 'x1',
      detail: 'openai chat.completions, gpt-4o-mini',
      section: 'prompt',
      reason: 'changed',
      path: '$.request.body.json.messages[1].content',
      expected: 'How do I re-record?',
      actual: 'How do I record again?',
    })
    expect(result.first?.changes).toEqual([
      {
        type: 'UPDATE',
        path: '$.request.body.json.messages[1].content',
        oldValue: 'How do I re-record?',
        value: 'How do I record again?',
      },
    ])
  })

  test('changed tool call arguments are in the tool section', () => {
    const expected = agentRun()
    const actual = copy(expected)
    const response = actual.steps[1] as Extract<Step, { kind: 'model.response' }>
    response.toolCalls = [{ id: 'call_1', name: 'search_docs', arguments: { query: 'record again' } }]
    const toolRequest = actual.steps[2] as Extract<Step, { kind: 'tool.request' }>
    toolRequest.arguments = { query: 'record again' }
    const result = compareRuns(expected, actual)
    expect(result.first).toMatchObject({
      step: 2,
      kind: 'model.response',
      section: 'tool',
      path: '$.toolCalls[0].arguments.query',
      expected: 're-record',
      actual: 'record again',
    })
    expect(result.differences).toBe(2)
    expect(result.all[1]).toMatchObject({ step: 3, kind: 'tool.request', section: 'tool', path: '$.arguments.query' })
    // Only the first divergence is diffed field by field.
    expect(result.all[1]?.changes).toEqual([])
  })

  test('sections: tools, model parameters, model text, retrieval, plain HTTP and errors', () => {
    const section = (edit: (run: Run) => void): string | undefined => {
      const expected = agentRun()
      const actual = copy(expected)
      edit(actual)
      return compareRuns(expected, actual).first?.section
    }
    const body = (run: Run, index: number) =>
      (modelRequest(run, index).request.body as { json: Record<string, unknown> }).json
    expect(section((run) => (body(run, 0).tool_choice = 'required'))).toBe('tool')
    expect(section((run) => (body(run, 0).tools = []))).toBe('tool')
    expect(section((run) => (body(run, 0).temperature = 0.7))).toBe('model')
    expect(section((run) => (modelRequest(run, 0).model = 'gpt-4o'))).toBe('model')
    expect(section((run) => ((run.steps[7] as { text: string }).text = 'Use -u.'))).toBe('model')
    expect(section((run) => ((run.steps[5] as { output: string }).output = 'nothing found'))).toBe('tool')
    // The search API's request and its response are retrieval.
    expect(section((run) => ((run.steps[3] as { request: { url: string } }).request.url += '&k=3'))).toBe('retrieval')
    expect(section((run) => ((run.steps[4] as { response: { status: number } }).response.status = 500))).toBe(
      'retrieval',
    )
    // A search call that now fails is a retrieval problem.
    expect(
      section((run) => {
        run.steps[4] = {
          kind: 'error.event',
          seq: 4,
          correlationId: 'x2',
          message: 'connect ECONNREFUSED',
          code: 'ECONNREFUSED',
        }
      }),
    ).toBe('retrieval')
    // Plain HTTP elsewhere: the section follows the recorded request's URL.
    const weather = agentRun()
    ;(weather.steps[3] as { request: { url: string } }).request.url = 'http://127.0.0.1:4011/v1/weather?city=Oslo'
    const changed = copy(weather)
    ;(changed.steps[4] as { response: { status: number } }).response.status = 500
    expect(compareRuns(weather, changed).first).toMatchObject({
      section: 'http',
      detail: '200 from http://127.0.0.1:4011/v1/weather',
    })
    const failed = copy(weather)
    failed.steps.splice(3, 5, { kind: 'error.event', seq: 3, correlationId: 'x2', message: 'connect ECONNREFUSED' })
    expect(compareRuns(weather, failed).first).toMatchObject({ step: 4, kind: 'http.request', section: 'http' })
    expect(compareSteps(failed.steps[3] as Step, weather.steps[3] as Step, 4)?.section).toBe('http')
  })

  test('a step of another kind is reported by its kind first', () => {
    const expected = agentRun()
    const actual = copy(expected)
    actual.steps[4] = { kind: 'error.event', seq: 4, correlationId: 'x2', message: 'connect ECONNREFUSED' }
    const result = compareRuns(expected, actual)
    expect(result.first).toMatchObject({
      step: 5,
      kind: 'http.response',
      path: '$.kind',
      expected: 'http.response',
      actual: 'error.event',
    })
  })

  test('a changed output is the output section, after equal steps', () => {
    const expected = agentRun()
    const actual = copy(expected)
    actual.outcome = { type: 'return', value: { answer: 'Use -u.' } }
    const result = compareRuns(expected, actual)
    expect(result.outcomeEqual).toBe(false)
    expect(result.first).toMatchObject({
      step: 0,
      kind: 'outcome',
      section: 'output',
      reason: 'changed',
      path: '$.value.answer',
      expected: 'Run `replaykit test --update-replays`.',
      actual: 'Use -u.',
    })
    expect(result.first?.changes).toHaveLength(1)
  })

  test('a thrown error instead of a value is reported at the outcome type', () => {
    const expected = agentRun()
    const actual = copy(expected)
    actual.outcome = { type: 'throw', error: { name: 'TypeError', message: 'fetch failed' } }
    const result = compareRuns(expected, actual)
    expect(result.first).toMatchObject({
      kind: 'outcome',
      path: '$.type',
      expected: 'return',
      actual: 'throw',
      detail: 'return value → thrown error',
    })
  })

  test('missing steps: the run stopped early', () => {
    const expected = agentRun()
    const actual = copy(expected)
    actual.steps = actual.steps.slice(0, 5)
    const result = compareRuns(expected, actual)
    expect(result.differences).toBe(3)
    expect(result.first).toMatchObject({
      step: 6,
      kind: 'tool.response',
      reason: 'missing',
      section: 'tool',
      path: '$',
    })
    expect(result.first?.expected).toMatchObject({ kind: 'tool.response', callId: 'call_1' })
    expect(result.first?.actual).toBeUndefined()
    expect(result.all.map((d) => [d.step, d.reason])).toEqual([
      [6, 'missing'],
      [7, 'missing'],
      [8, 'missing'],
    ])
  })

  test('extra steps: the run made more calls', () => {
    const expected = sampleRun()
    const actual = copy(expected)
    actual.steps.push({
      kind: 'http.request',
      seq: 2,
      correlationId: 'x2',
      request: { method: 'POST', url: 'http://127.0.0.1:4012/embeddings', headers: {} },
    })
    const result = compareRuns(expected, actual)
    expect(result.differences).toBe(1)
    expect(result.first).toMatchObject({
      step: 3,
      kind: 'http.request',
      reason: 'extra',
      section: 'retrieval',
      detail: 'POST http://127.0.0.1:4012/embeddings',
    })
    expect(result.first?.expected).toBeUndefined()
    expect(result.actualSteps).toBe(3)
  })

  test('counts every later differing position, not only the first', () => {
    const expected = agentRun()
    const actual = copy(expected)
    const first = messages(modelRequest(actual, 0))[0] as { content: string }
    first.content = 'Answer briefly.'
    const second = messages(modelRequest(actual, 6))[0] as { content: string }
    second.content = 'Answer briefly.'
    ;(actual.steps[7] as { text: string }).text = 'Use -u.'
    actual.outcome = { type: 'return', value: { answer: 'Use -u.' } }
    const result = compareRuns(expected, actual)
    expect(result.differences).toBe(4)
    expect(result.all.map((d) => d.step)).toEqual([1, 7, 8, 0])
    expect(result.all.map((d) => d.section)).toEqual(['prompt', 'prompt', 'model', 'output'])
  })

  test('ignorePaths leave fields out of request bodies', () => {
    const expected = agentRun()
    const actual = copy(expected)
    const body = (index: number) =>
      (modelRequest(actual, index).request.body as { json: { metadata: { requestId: string } } }).json
    body(0).metadata.requestId = 'req-9'
    body(6).metadata.requestId = 'req-10'
    expect(compareRuns(expected, actual).differences).toBe(2)
    expect(compareRuns(expected, actual, { ignorePaths: ['$.metadata.requestId'] }).equal).toBe(true)
    expect(compareRuns(expected, actual, { ignorePaths: ['metadata'] }).equal).toBe(true)
    // Other differences are still found, and ignored fields do not show in the field diff.
    const message = messages(modelRequest(actual, 0))[1] as { content: string }
    message.content = 'changed'
    const result = compareRuns(expected, actual, { ignorePaths: ['metadata.requestId'] })
    expect(result.differences).toBe(1)
    expect(result.first?.changes.map((change) => change.path)).toEqual(['$.request.body.json.messages[1].content'])
    // The runs themselves are not modified.
    expect(body(0).metadata.requestId).toBe('req-9')
  })

  test('ignorePaths with wildcards', () => {
    const expected = agentRun()
    const actual = copy(expected)
    for (const message of messages(modelRequest(actual, 6)) as Array<Record<string, unknown>>)
      message.id = Math.random()
    expect(compareRuns(expected, actual).equal).toBe(false)
    expect(compareRuns(expected, actual, { ignorePaths: ['messages[*].id'] }).equal).toBe(true)
    expect(compareRuns(expected, actual, { ignorePaths: ['$..id'] }).equal).toBe(true)
  })

  test('an ignore path that cannot be read is a typed error naming it', () => {
    const run = agentRun()
    expect(() => compareRuns(run, run, { ignorePaths: ['messages[x]'] })).toThrowError(
      expect.objectContaining({ code: 'RPK_BAD_CONFIG', message: expect.stringContaining('"messages[x]"') }),
    )
  })

  test('drawn values are compared when the steps are equal', () => {
    const expected = agentRun()
    const actual = copy(expected)
    actual.drawn = [{ source: 'Date.now', value: 1_763_900_000_001 }]
    const result = compareRuns(expected, actual)
    expect(result.differences).toBe(1)
    expect(result.first).toMatchObject({
      step: 0,
      kind: 'drawn',
      section: 'determinism',
      reason: 'changed',
      path: '$[0].value',
      expected: 1_763_900_000_000,
      actual: 1_763_900_000_001,
      detail: 'draw 1 of 2, Date.now',
    })
    expect(result.first?.changes.map((change) => [change.type, change.path])).toEqual([
      ['UPDATE', '$[0]'],
      ['REMOVE', '$[1]'],
    ])
    // Once a step differs, the draws are not reported: they follow from it.
    ;(actual.steps[7] as { text: string }).text = 'Use -u.'
    expect(compareRuns(expected, actual).all.map((d) => d.kind)).toEqual(['model.response'])
  })

  test('all is capped, differences is not', () => {
    const expected: Run = { name: 'many', index: 1, outcome: { type: 'return' }, steps: [] }
    const actual: Run = { ...expected, steps: [] }
    for (let i = 0; i < MAX_DIVERGENCES + 200; i++) {
      actual.steps.push({ kind: 'error.event', seq: i, correlationId: `x${i}`, message: 'refused' })
    }
    const result = compareRuns(expected, actual)
    expect(result.differences).toBe(MAX_DIVERGENCES + 200)
    expect(result.all).toHaveLength(MAX_DIVERGENCES)
  })
})

describe('compareRuns on the fast path', () => {
  test('stream pacing does not count; a changed event does', () => {
    const withStream = (atMs: number, data: string): Run => {
      const run = agentRun()
      const answer = run.steps[7] as ModelResponseStep
      answer.response = {
        status: 200,
        headers: {},
        stream: { format: 'sse', events: [{ data, atMs }], completion: 'clean' },
      }
      return run
    }
    expect(compareRuns(withStream(1, 'a'), withStream(9, 'a')).equal).toBe(true)
    expect(compareRuns(withStream(1, 'a'), withStream(9, 'b')).first).toMatchObject({
      step: 8,
      path: '$.response.stream.events[0].data',
      expected: 'a',
      actual: 'b',
    })
  })

  test('a value JSON cannot hold is a typed error, whether the steps are equal or not', () => {
    const withNaN = (): Run => {
      const run = agentRun()
      ;(run.steps[7] as { usage: { inputTokens: number } }).usage.inputTokens = Number.NaN
      return run
    }
    expect(() => compareRuns(withNaN(), withNaN())).toThrowError('the value at $.usage.inputTokens is NaN')
    const other = withNaN()
    ;(other.steps[7] as { text: string }).text = 'Use -u.'
    expect(() => compareRuns(agentRun(), other)).toThrowError('the value at $.usage.inputTokens is NaN')
  })

  test('a response far from its request is still classed and described by the request URL', () => {
    const spread = (): Run => {
      const run = agentRun()
      const between: Step[] = Array.from({ length: 40 }, (_, i) => ({
        kind: 'tool.request',
        seq: 0,
        correlationId: `t${i}`,
        callId: `call_${i}`,
        name: 'noop',
        arguments: {},
      }))
      run.steps.splice(4, 0, ...between)
      return run
    }
    const actual = spread()
    ;(actual.steps[44] as { response: { status: number } }).response.status = 500
    const result = compareRuns(spread(), actual)
    expect(result.first).toMatchObject({
      step: 45,
      kind: 'http.response',
      section: 'retrieval',
      detail: '200 from http://127.0.0.1:4011/v1/search',
    })
    // The same when the step before is the only one: the later one still finds its request.
    const far = spread()
    ;(far.steps[4] as { arguments: unknown }).arguments = { changed: true }
    ;(far.steps[44] as { response: { status: number } }).response.status = 500
    expect(compareRuns(spread(), far).all[1]).toMatchObject({ step: 45, section: 'retrieval' })
  })
})

describe('compareSteps', () => {
  test('gives the full details of any pair of steps', () => {
    const expected = agentRun()
    const actual = copy(expected)
    ;(actual.steps[7] as { text: string }).text = 'Use -u.'
    expect(compareSteps(expected.steps[7] as Step, actual.steps[7] as Step, 8)).toMatchObject({
      step: 8,
      section: 'model',
      path: '$.text',
      changes: [
        { type: 'UPDATE', path: '$.text', oldValue: 'Run `replaykit test --update-replays`.', value: 'Use -u.' },
      ],
    })
    expect(compareSteps(expected.steps[0] as Step, copy(expected.steps[0]) as Step, 1)).toBeUndefined()
  })
})
