import { describe, expect, test } from 'vitest'
import { parseSseText } from '../../src/providers/index.js'

describe('parseSseText', () => {
  test('named events, JSON data, [DONE], comments and ids', () => {
    const text = ': keep-alive\n\nevent: message_start\nid: 7\ndata: {"a":1}\n\ndata: [DONE]\n\n'
    expect(parseSseText(text)).toEqual([{ event: 'message_start', id: '7', json: { a: 1 } }, { data: '[DONE]' }])
  })

  test('CRLF and CR line endings, multi-line data, an unfinished last event', () => {
    expect(parseSseText('data: {"x":\r\ndata: 2}\r\n\r\ndata:no-space\r\rdata: tail')).toEqual([
      { json: { x: 2 } },
      { data: 'no-space' },
      { data: 'tail' },
    ])
  })
})
