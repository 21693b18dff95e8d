/**
 * Codex 0.169.0's `exec_command` output starts with two lines that change on every run
 * (`Chunk ID: 3f2a1c`, `Wall time: 0.0512 seconds`): a replayed Codex session sends them anew,
 * so the gateway's match key must not see them, and must still see everything else.
 */
import { describe, expect, it } from 'vitest'
import type { HttpRequestData, JsonValue } from '../../src/artifact/types.js'
import { gatewayKey } from '../../src/gateway/match-key.js'

const output = (chunk: string, wall: string, printed: string, code = 0) =>
  `Chunk ID: ${chunk}\nWall time: ${wall} seconds\nProcess exited with code ${code}\nOriginal token count: 5\nOutput:\n${printed}\n`

const request = (toolOutput: string): HttpRequestData => ({
  method: 'POST',
  url: 'http://127.0.0.1:1/v1/responses',
  headers: {},
  body: {
    json: {
      model: 'gpt-5',
      stream: true,
      input: [
        { type: 'message', id: 'msg_1', role: 'user', content: [{ type: 'input_text', text: 'run `echo hi`' }] },
        { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'exec_command', arguments: '{"cmd":"echo hi"}' },
        { type: 'function_call_output', id: 'fco_1', call_id: 'call_1', output: toolOutput },
      ],
    } as JsonValue,
  },
})

describe('the gateway match key and Codex exec_command outputs', () => {
  it('ignores the chunk id and wall time of the same command output', () => {
    expect(gatewayKey(request(output('c4948b', '0.1463', 'hi')))).toBe(
      gatewayKey(request(output('9484b2', '0.2546', 'hi'))),
    )
  })

  it('still tells apart a different output or exit code', () => {
    const key = gatewayKey(request(output('c4948b', '0.1463', 'hi')))
    expect(gatewayKey(request(output('c4948b', '0.1463', 'bye')))).not.toBe(key)
    expect(gatewayKey(request(output('c4948b', '0.1463', 'hi', 1)))).not.toBe(key)
  })

  it('leaves any other tool output as it is, header-like text included', () => {
    const plain = (chunk: string) => `the tool said Chunk ID: ${chunk}\nWall time: 1 seconds\n`
    expect(gatewayKey(request(plain('aaaaaa')))).not.toBe(gatewayKey(request(plain('bbbbbb'))))
  })
})
