/**
 * Issue 10 item 4: a change deep in a long string (character 590 of a system
 * prompt) or in multi-line text is shown, not hidden behind two identical cuts.
 */
import { describe, expect, test } from 'vitest'
import { compareRuns, formatDivergence } from '../../src/diff/index.js'
import type { Run, Step } from '../../src/index.js'
import { agentRun, copy } from './agent-run.js'

function withSystemPrompt(run: Run, content: string): Run {
  const out = copy(run)
  const step = out.steps[0] as Extract<Step, { kind: 'model.request' }>
  ;(step.request.body as { json: { messages: Array<{ role?: string; content: string }> } }).json.messages[0] = {
    role: 'system',
    content,
  }
  return out
}

const base = agentRun()
const filler = 'You answer from the docs and cite the page you used. '.repeat(12).slice(0, 589)

describe('long and multi-line strings in the report', () => {
  test('a change at character 590 of a 700-character prompt shows the changed part and what was left out', () => {
    const tail = ' Keep answers under 80 words and never guess.'.padEnd(111, '.')
    const expected = withSystemPrompt(base, `${filler}Use British spelling.${tail}`)
    const actual = withSystemPrompt(base, `${filler}Use American spelling.${tail}`)
    const text = formatDivergence(compareRuns(expected, actual), { color: false })
    const lines = text.split('\n')
    expect(lines[1]).toBe('  request body $.messages[0].content: text differs from character 594 (721 chars → 722):')
    expect(lines[2]).toMatch(/^ {4}- …553 chars… ".*Use British spelling\. Keep answers under 80.*" …\d+ chars…$/)
    expect(lines[3]).toMatch(/^ {4}\+ …553 chars… ".*Use American spelling\. Keep answers under 80.*" …\d+ chars…$/)
    // The two printed sides differ: the change is visible.
    expect(lines[2]?.slice(6)).not.toBe(lines[3]?.slice(6))
    // The field diff shows the window too, not two equal 120-character cuts.
    const field = lines.filter((line) => line.includes('$.request.body.json.messages[0].content'))
    expect(field).toHaveLength(2)
    expect(field[0]).toContain('British')
    expect(field[1]).toContain('American')
    // Left-out counts add up: 553 before + shown + after = the length.
    const shown = JSON.parse(/"(.*)"/.exec(lines[2] as string)?.[0] as string) as string
    const after = Number(/…(\d+) chars…$/.exec(lines[2] as string)?.[1])
    expect(553 + shown.length + after).toBe(721)
  })

  test('multi-line text gets a line diff around the changed line', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `Rule ${i + 1}: be precise about item ${i + 1}.`)
    const changed = [...rows]
    changed[19] = 'Rule 20: be vague about item 20.'
    const expected = withSystemPrompt(base, rows.join('\n'))
    const actual = withSystemPrompt(base, changed.join('\n'))
    const lines = formatDivergence(compareRuns(expected, actual), { color: false }).split('\n')
    expect(lines.slice(1, 9)).toEqual([
      '  request body $.messages[0].content: text differs from line 20 (30 lines → 30; - expected, + actual):',
      '    … 17 unchanged lines',
      '      Rule 18: be precise about item 18.',
      '      Rule 19: be precise about item 19.',
      '    - "Rule 20: be precise about item 20."',
      '    + "Rule 20: be vague about item 20."',
      '      Rule 21: be precise about item 21.',
      '      Rule 22: be precise about item 22.',
    ])
    expect(lines[9]).toBe('    … 8 unchanged lines')
  })

  test('added lines in multi-line text are listed with + and removed ones with -', () => {
    const expected = withSystemPrompt(base, 'line one\nline two\nline three')
    const actual = withSystemPrompt(base, 'line one\nline two\nline 2b\nline 2c\nline three')
    const lines = formatDivergence(compareRuns(expected, actual), { color: false }).split('\n')
    expect(lines.slice(1, 6)).toEqual([
      '  request body $.messages[0].content: text differs from line 3 (3 lines → 5; - expected, + actual):',
      '      line one',
      '      line two',
      '    + line 2b',
      '    + line 2c',
    ])
  })

  test('a secret deep in a long string is redacted before the window is cut', () => {
    const key = `sk-proj-${'A1b2C3d4E5'.repeat(5)}`
    const expected = withSystemPrompt(base, `${filler} token ${key} old`)
    const actual = withSystemPrompt(base, `${filler} token ${key} new`)
    const text = formatDivergence(compareRuns(expected, actual), { color: false })
    expect(text).not.toContain('A1b2C3d4E5')
    expect(text).toContain('[REDACTED')
    expect(text).toMatch(/- .*old"/)
    expect(text).toMatch(/\+ .*new"/)
  })
})
