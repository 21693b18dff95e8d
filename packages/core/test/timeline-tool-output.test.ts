/**
 * A tool result's timeline row shows what the tool printed: Codex CLI's shell tool
 * (`exec_command`) puts four header lines before the output, which filled the row's
 * 60 characters so that `replaykit inspect` never showed the output itself.
 */
import { expect, test } from 'vitest'
import type { Step } from '../src/artifact/types.js'
import { timelineRow } from '../src/timeline/rows.js'

function row(output: string): string {
  const step: Step = { seq: 3, correlationId: 'x2', kind: 'tool.response', callId: 'call_1', output }
  return timelineRow(step, new Map()).text
}

const header = 'Chunk ID: 551eb7\nWall time: 0.0842 seconds\n'

test("a Codex exec_command result shows the command's output, not its header", () => {
  expect(row(`${header}Process exited with code 0\nOriginal token count: 5\nOutput:\nreplaykit-tool-ok\n`)).toBe(
    'replaykit-tool-ok',
  )
})

test('a non-zero exit code stays in sight', () => {
  expect(row(`${header}Process exited with code 2\nOriginal token count: 9\nOutput:\nls: no such file\n`)).toBe(
    '(exit 2) ls: no such file',
  )
})

test('any other tool output is shown as it is', () => {
  expect(row('Chunk ID: not hex\nOutput:\nx')).toBe('Chunk ID: not hex Output: x')
  expect(row('replaykit-tool-ok')).toBe('replaykit-tool-ok')
})
