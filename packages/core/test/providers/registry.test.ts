import { describe, expect, test } from 'vitest'
import { findAdapter } from '../../src/providers/index.js'

const origin = 'http://127.0.0.1:4010'

/** `provider endpoint`, or undefined for plain HTTP. */
function which(method: string, url: string): string | undefined {
  const match = findAdapter(method, url)
  return match && `${match.adapter.provider} ${match.endpoint}`
}

describe('findAdapter', () => {
  test.each([
    ['POST', '/v1/chat/completions', 'openai chat.completions'],
    ['POST', '/openai/v1/chat/completions', 'openai chat.completions'],
    ['POST', '/chat/completions/', 'openai chat.completions'],
    ['POST', '/v1/responses', 'openai responses'],
    ['POST', '/responses', 'openai responses'],
    ['POST', '/backend-api/codex/responses?foo=1', 'openai responses'],
    ['GET', '/v1/models', 'openai models'],
    ['GET', '/models?client_version=1', 'openai models'],
    ['POST', '/v1/messages', 'anthropic messages'],
    ['POST', '/v1/messages?beta=true', 'anthropic messages'],
    ['POST', '/anthropic/v1/messages', 'anthropic messages'],
    ['POST', '/v1/messages/count_tokens?beta=true', 'anthropic messages.count_tokens'],
    ['POST', '/v1beta/models/gemini-2.5-flash:generateContent', 'gemini generateContent'],
    ['POST', '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse', 'gemini streamGenerateContent'],
    ['POST', '/v1/models/gemini-2.5-flash:generateContent?key=[REDACTED]', 'gemini generateContent'],
    ['POST', '/v1beta/models/gemini-2.5-flash%3AgenerateContent', 'gemini generateContent'],
    [
      'POST',
      '/v1/projects/p/locations/us/publishers/google/models/gemini-pro:generateContent',
      'gemini generateContent',
    ],
    ['post', '/v1/chat/completions', 'openai chat.completions'],
  ])('%s %s → %s', (method, path, expected) => {
    expect(which(method, origin + path)).toBe(expected)
  })

  test.each([
    ['GET', '/weather?city=Oslo'],
    ['POST', '/echo'],
    ['GET', '/v1/chat/completions'],
    ['GET', '/v1/messages'],
    ['GET', '/v1beta/models'],
    ['POST', '/v1/models'],
    ['POST', '/v1/responses/compact'],
    ['GET', '/v1beta/models/gemini-2.5-flash:generateContent'],
    ['POST', '/v1/messages/batches'],
  ])('%s %s is plain HTTP', (method, path) => {
    expect(which(method, origin + path)).toBeUndefined()
  })

  test('matches on the path, not the host, and accepts bare paths', () => {
    expect(which('POST', 'https://api.openai.com/v1/chat/completions')).toBe('openai chat.completions')
    expect(which('POST', 'https://example.test/v1/messages')).toBe('anthropic messages')
    expect(which('POST', '/v1/messages')).toBe('anthropic messages')
    expect(which('POST', 'https://api.openai.com/v1/chat/completions/../files')).toBeUndefined()
  })
})
