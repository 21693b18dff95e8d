/**
 * The gateway reads a request for its recording from node:http's parts
 * (gateway/incoming-request.ts), without building a web Request: the stored
 * data must be what the engine's `readRequest` of the same request stores.
 */
import type { IncomingHttpHeaders } from 'node:http'
import { describe, expect, test } from 'vitest'
import { readRequest } from '../../src/engine/read-request.js'
import { incomingRequest } from '../../src/gateway/incoming-request.js'

const HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'x-replaykit-session', 'te'])

/** The way the gateway read it before: a web Request of the same parts. */
async function asBefore(method: string, url: string, headers: IncomingHttpHeaders, body: Buffer) {
  const web = new Headers()
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP.has(name)) continue
    if (Array.isArray(value)) for (const each of value) web.append(name, each)
    else web.set(name, value)
  }
  const request = new Request(url, {
    method,
    headers: web,
    body: body.length > 0 && method !== 'GET' && method !== 'HEAD' ? (body as unknown as BodyInit) : null,
  })
  return readRequest(request)
}

const cases: [string, string, string, IncomingHttpHeaders, Buffer][] = [
  [
    'a JSON chat request',
    'POST',
    'https://api.openai.com/v1/chat/completions',
    {
      host: '127.0.0.1:9',
      'content-type': 'application/json',
      authorization: 'Bearer sk-test-0123456789abcdefghij',
      'x-stainless-os': 'Linux',
      'openai-beta': 'assistants=v2',
      'content-length': '40',
      connection: 'keep-alive',
    },
    Buffer.from('{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}'),
  ],
  [
    'query parameters out of order, a repeated header, a session header',
    'GET',
    'https://api.openai.com/v1/models?z=1&client_version=0.1&a=2',
    { accept: 'application/json', 'x-custom': ['one', 'two'], 'x-replaykit-session': 's1', 'anthropic-beta': ' a,b ' },
    Buffer.alloc(0),
  ],
  ['a GET that came with a body (fetch sends none)', 'GET', 'https://x.test/v1/models', {}, Buffer.from('ignored')],
  [
    'a body that is not JSON, sniffed',
    'POST',
    'https://generativelanguage.googleapis.com/v1beta/models/g:generateContent?key=k',
    { 'content-type': 'text/plain' },
    Buffer.from('plain words'),
  ],
  [
    'binary bytes',
    'POST',
    'https://api.anthropic.com/v1/messages?beta=true',
    { 'content-type': 'application/octet-stream' },
    Buffer.from([0, 255, 1, 254, 128]),
  ],
  ['JSON without a content type', 'post', 'https://api.anthropic.com/v1/messages', {}, Buffer.from('[1,2,{"a":"b"}]')],
]

describe("the gateway's request read for the recording", () => {
  test.each(cases)('%s: as a web Request read by the engine', async (_name, method, url, headers, body) => {
    expect(incomingRequest(method, url, headers, body)).toEqual(
      await asBefore(method.toUpperCase(), url, headers, body),
    )
  })

  test('a body sent upstream after the read is unchanged (the read does not take the bytes)', () => {
    const body = Buffer.from('{"a":1}')
    incomingRequest('POST', 'https://x.test/v1/embeddings', { 'content-type': 'application/json' }, body)
    expect(body.toString()).toBe('{"a":1}')
  })
})
