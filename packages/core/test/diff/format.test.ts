import { describe, expect, test } from 'vitest'
import { compareRuns, divergenceJson, formatDivergence, relativePath, shortValue } from '../../src/diff/index.js'
import type { Run, Step } from '../../src/index.js'
import { agentRun, copy } from './agent-run.js'

// ESC [ opens every ANSI colour sequence.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[`)

function promptChanged(): { expected: Run; actual: Run } {
  const expected = agentRun()
  const actual = copy(expected)
  const body = (index: number) =>
    (
      (actual.steps[index] as Extract<Step, { kind: 'model.request' }>).request.body as {
        json: { messages: Array<{ content: string }>; temperature: number }
      }
    ).json
  ;(body(0).messages[0] as { content: string }).content = 'You answer briefly.'
  body(0).temperature = 0.2
  ;(body(6).messages[0] as { content: string }).content = 'You answer briefly.'
  actual.outcome = { type: 'return', value: { answer: 'Use -u.' } }
  return { expected, actual }
}

describe('formatDivergence', () => {
  test('a changed prompt: header, path relative to the body, field diff and later differences', () => {
    const { expected, actual } = promptChanged()
    const text = formatDivergence(compareRuns(expected, actual), { color: false, title: 'agent answers 1' })
    expect(text).toBe(
      [
        'agent answers 1',
        'First divergence at step 1 of 8 (model.request, openai chat.completions, gpt-4o-mini) — section: prompt',
        '  request body $.messages[0].content: "You answer from the docs." → "You answer briefly."',
        '  field diff (- expected, + actual):',
        '    - $.request.body.json.temperature: 0',
        '    + $.request.body.json.temperature: 0.2',
        '    - $.request.body.json.messages[0].content: "You answer from the docs."',
        '    + $.request.body.json.messages[0].content: "You answer briefly."',
        '  1 later step differs; the outcome differs too',
      ].join('\n'),
    )
  })

  test('colour off has no ANSI codes; colour on has them', () => {
    const { expected, actual } = promptChanged()
    const comparison = compareRuns(expected, actual)
    expect(formatDivergence(comparison, { color: false })).not.toMatch(ANSI)
    expect(formatDivergence(comparison, { color: true })).toMatch(ANSI)
    const equal = compareRuns(expected, copy(expected))
    expect(formatDivergence(equal, { color: false })).toBe('No divergence: 8 steps and the outcome are equal.')
  })

  test('labels name the two sides', () => {
    const expected = agentRun()
    const actual = copy(expected)
    actual.steps = actual.steps.slice(0, 6)
    const text = formatDivergence(compareRuns(expected, actual), {
      color: false,
      expectedLabel: 'baseline',
      actualLabel: 'candidate',
    })
    expect(text.split('\n').slice(0, 2)).toEqual([
      'First divergence at step 7 of 8 (model.request, openai chat.completions, gpt-4o-mini) — section: model',
      '  missing: candidate ended after 6 steps; baseline has this step',
    ])
    expect(text).toContain('  1 later step differs')
  })

  test('extra steps, outcome and drawn values', () => {
    const expected = agentRun()
    const extra = copy(expected)
    extra.steps.push({ kind: 'error.event', seq: 8, correlationId: 'x4', message: 'socket hang up' })
    expect(formatDivergence(compareRuns(expected, extra), { color: false }).split('\n').slice(0, 2)).toEqual([
      'First divergence at step 9 of 9 (error.event, socket hang up) — section: http',
      '  extra: actual made this step; expected has 8 steps',
    ])

    const output = copy(expected)
    output.outcome = { type: 'throw', error: { name: 'Error', message: 'no answer' } }
    expect(formatDivergence(compareRuns(expected, output), { color: false }).split('\n').slice(0, 2)).toEqual([
      'First divergence in the outcome (return value → thrown error) — section: output',
      '  $.type: "return" → "throw"',
    ])

    const drawn = copy(expected)
    drawn.drawn = [{ source: 'Date.now', value: 1 }]
    expect(formatDivergence(compareRuns(expected, drawn), { color: false }).split('\n').slice(0, 2)).toEqual([
      'First divergence in the drawn values (draw 1 of 2, Date.now) — section: determinism',
      '  $[0].value: 1763900000000 → 1',
    ])
  })

  test('long values stay on one line; many field changes are summarised', () => {
    const expected = agentRun()
    const actual = copy(expected)
    const response = actual.steps[4] as Extract<Step, { kind: 'http.response' }>
    const hits = Array.from({ length: 30 }, (_, i) => ({ title: `hit ${i}`, text: 'x\n'.repeat(200) }))
    response.response.body = { json: { hits } }
    const text = formatDivergence(compareRuns(expected, actual), { color: false })
    for (const line of text.split('\n')) expect(line.length).toBeLessThan(300)
    expect(text).toMatch(/… \d+ more field changes$/m)
  })
})

describe('divergenceJson', () => {
  test('the same facts in a stable shape', () => {
    const { expected, actual } = promptChanged()
    const json = divergenceJson(compareRuns(expected, actual)) as Record<string, unknown>
    expect(json).toMatchObject({
      version: 1,
      equal: false,
      differences: 3,
      expectedSteps: 8,
      actualSteps: 8,
      outcomeEqual: false,
      truncated: false,
      first: {
        step: 1,
        seq: 0,
        kind: 'model.request',
        correlationId: 'x1',
        detail: 'openai chat.completions, gpt-4o-mini',
        section: 'prompt',
        reason: 'changed',
        path: '$.request.body.json.messages[0].content',
        where: 'request body',
        relativePath: '$.messages[0].content',
        expected: 'You answer from the docs.',
        actual: 'You answer briefly.',
        omittedChanges: 0,
      },
    })
    expect((json.all as unknown[]).map((item) => (item as { step: number }).step)).toEqual([1, 7, 0])
    expect(JSON.parse(JSON.stringify(json))).toEqual(json)
  })

  test('equal runs have first: null', () => {
    const run = agentRun()
    expect(divergenceJson(compareRuns(run, copy(run)))).toMatchObject({ equal: true, first: null, all: [] })
  })
})

describe('display helpers', () => {
  test('relativePath strips the body prefix only at a segment boundary', () => {
    expect(relativePath({ kind: 'model.request', path: '$.request.body.json.messages[0]' })).toEqual({
      where: 'request body',
      path: '$.messages[0]',
    })
    expect(relativePath({ kind: 'http.response', path: '$.response.body.json' })).toEqual({
      where: 'response body',
      path: '$',
    })
    expect(relativePath({ kind: 'http.request', path: '$.request.body.jsonish' })).toEqual({
      where: 'step',
      path: '$.request.body.jsonish',
    })
  })

  test('shortValue', () => {
    expect(shortValue(undefined)).toBe('(absent)')
    expect(shortValue('a\nb')).toBe('"a\\nb"')
    expect(shortValue('x'.repeat(500))).toHaveLength(120)
  })
})
