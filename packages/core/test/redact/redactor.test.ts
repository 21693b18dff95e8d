import { runInNewContext } from 'node:vm'
import { describe, expect, test } from 'vitest'
import { canonicalStringify } from '../../src/artifact/canonical-json.js'
import type { HttpRequestData, HttpResponseData, JsonValue } from '../../src/artifact/types.js'
import { isReplayKitError } from '../../src/errors.js'
import {
  createRedactor,
  DEFAULT_REDACTED_HEADERS,
  findSecret,
  type RedactContext,
  redactSecrets,
} from '../../src/redact/index.js'

// Built by concatenation so that this file itself holds no literal that scanners flag.
const OPENAI_KEY = `sk-proj-${'A1b2C3d4E5'.repeat(3)}`
const OTHER_OPENAI_KEY = `sk-proj-${'Z9y8X7w6V5'.repeat(3)}`
const ANTHROPIC_KEY = `sk-ant-api03-${'Qw3rTy'.repeat(5)}`
const GOOGLE_KEY = `AIza${'Sy0123456789abcdefghij'.padEnd(35, 'K')}`
const GITHUB_TOKEN = `ghp_${'a1B2c3D4e5F6'.repeat(3)}`
const AWS_KEY = `AKIA${'ABCDEFGH23456723'}`
const JWT = `eyJ${'hbGciOiJIUzI1NiJ9x'}.eyJ${'zdWIiOiIxMjM0NTY3ODkw'}.${'SflKxwRJSMeKKF2QT4fw'}`

function request(overrides: Partial<HttpRequestData> = {}): HttpRequestData {
  return {
    method: 'POST',
    url: 'https://api.openai.com/v1/chat/completions',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${OPENAI_KEY}` },
    body: { json: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] } },
    ...overrides,
  }
}

describe('default rules', () => {
  const redactor = createRedactor()

  test.each(DEFAULT_REDACTED_HEADERS)('replaces the whole %s header by its placeholder', (name) => {
    const out = redactor.request(request({ headers: { [name]: `Bearer ${OPENAI_KEY}`, accept: '*/*' } }))
    expect(out.headers[name]).toBe(`[REDACTED:${name}]`)
    expect(out.headers.accept).toBe('*/*')
  })

  test('matches header names case-insensitively and keeps the name as given', () => {
    const out = redactor.request(request({ headers: { 'X-Api-Key': ANTHROPIC_KEY } }))
    expect(out.headers).toEqual({ 'X-Api-Key': '[REDACTED:x-api-key]' })
  })

  test('redacts set-cookie in responses', () => {
    const response: HttpResponseData = { status: 200, headers: { 'set-cookie': 'session=abc; HttpOnly' } }
    expect(redactor.response(response).headers['set-cookie']).toBe('[REDACTED:set-cookie]')
  })

  test.each(['key', 'api_key', 'access_token'])('replaces the %s query parameter', (name) => {
    const url = `https://generativelanguage.googleapis.com/v1beta/models/m:generateContent?alt=sse&${name}=${GOOGLE_KEY}`
    expect(redactor.url(url)).toBe(
      `https://generativelanguage.googleapis.com/v1beta/models/m:generateContent?alt=sse&${name}=[REDACTED:${name}]`,
    )
  })

  test('leaves other parameters, their order and their encoding alone', () => {
    const url = 'https://x.test/a?z=1&b=hello%20world&c=a+b#frag'
    expect(redactor.url(url)).toBe(url)
  })

  test('replaces credentials before the host and secrets in the path or in encoded parameters', () => {
    expect(redactor.url('https://bob:hunter2@proxy.test/p')).toBe('https://[REDACTED:userinfo]@proxy.test/p')
    expect(redactor.url(`https://x.test/keys/${GITHUB_TOKEN}/info`)).toBe(
      'https://x.test/keys/[REDACTED:github-token]/info',
    )
    const encoded = encodeURIComponent(`Bearer ${JWT}`)
    expect(redactor.url(`https://x.test/cb?state=${encoded}`)).toBe('https://x.test/cb?state=Bearer%20[REDACTED:jwt]')
  })

  test('replaces every secret pattern in JSON string values and member names', () => {
    const out = redactor.json({
      note: `use ${OPENAI_KEY} or ${ANTHROPIC_KEY}`,
      nested: [{ aws: AWS_KEY }, JWT, 42, true, null],
      [GITHUB_TOKEN]: 'a map keyed by token',
    })
    expect(out).toEqual({
      note: 'use [REDACTED:openai-key] or [REDACTED:anthropic-key]',
      nested: [{ aws: '[REDACTED:aws-access-key]' }, '[REDACTED:jwt]', 42, true, null],
      '[REDACTED:github-token]': 'a map keyed by token',
    })
  })

  test('replaces secret patterns in text bodies, any other header, and stream events', () => {
    const out = redactor.response({
      status: 200,
      headers: { 'x-echo': `token=${GOOGLE_KEY}` },
      stream: {
        format: 'sse',
        events: [
          { event: 'delta', json: { delta: { text: `the key is ${OPENAI_KEY}` } } },
          { data: `raw ${ANTHROPIC_KEY}` },
          { data: '[DONE]' },
        ],
        completion: 'error',
        error: `upstream said: invalid key ${OPENAI_KEY}`,
      },
    })
    expect(out.headers['x-echo']).toBe('token=[REDACTED:google-api-key]')
    expect(out.stream?.events).toEqual([
      { event: 'delta', json: { delta: { text: 'the key is [REDACTED:openai-key]' } } },
      { data: 'raw [REDACTED:anthropic-key]' },
      { data: '[DONE]' },
    ])
    expect(out.stream?.error).toBe('upstream said: invalid key [REDACTED:openai-key]')
    const text = redactor.request(request({ body: { text: `Authorization: Bearer ${JWT}` } }))
    expect(text.body).toEqual({ text: 'Authorization: Bearer [REDACTED:jwt]' })
  })

  test('leaves binary and blob bodies as they are', () => {
    expect(redactor.request(request({ body: { base64: 'AAEC' } })).body).toEqual({ base64: 'AAEC' })
    expect(redactor.request(request({ body: { blob: 'sha256:00' } })).body).toEqual({ blob: 'sha256:00' })
  })

  test('a string whose JSON escaping would complete a pattern is replaced whole', () => {
    // Raw, the tab breaks the JWT; written as JSON it becomes "\t", and "\" is in the JWT alphabet.
    const tricky = `ey${'A'.repeat(17)}.ey\t${'B'.repeat(17)}.${'C'.repeat(10)}`
    expect(findSecret(tricky)).toBeUndefined()
    expect(findSecret(JSON.stringify(tricky))).toBeDefined()
    expect(redactor.json({ tricky })).toEqual({ tricky: '[REDACTED:jwt]' })
  })

  test('requests that differ only in their keys redact to the same bytes', () => {
    const a = redactor.request(request())
    const b = redactor.request(
      request({
        url: `https://api.openai.com/v1/chat/completions?key=${GOOGLE_KEY}`,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${OTHER_OPENAI_KEY}` },
      }),
    )
    const c = redactor.request(
      request({ url: 'https://api.openai.com/v1/chat/completions?key=other', headers: a.headers }),
    )
    expect(canonicalStringify(b.headers)).toBe(canonicalStringify(a.headers))
    expect(b.url).toBe(c.url)
    expect(a.headers.authorization).toBe('[REDACTED:authorization]')
  })

  test('text() redacts log lines', () => {
    expect(redactor.text(`calling with ${OPENAI_KEY}`)).toBe('calling with [REDACTED:openai-key]')
  })
})

describe('user rules', () => {
  test('more headers, query parameters, paths and patterns', () => {
    const redactor = createRedactor({
      headers: ['X-Tenant-Token'],
      queryParams: ['sig'],
      paths: ['$.user.email', 'items[*].token', '$..password'],
      patterns: [/acct_[0-9]{6}/],
    })
    const out = redactor.request({
      method: 'POST',
      url: 'https://x.test/a?sig=abc&keep=1',
      headers: { 'x-tenant-token': 't-123', authorization: 'Basic Ym9iOmh1bnRlcjI=' },
      body: {
        json: {
          user: { email: 'ada@example.com', name: 'Ada' },
          items: [{ token: 't1' }, { token: { deep: 1 } }],
          settings: { password: 'pw', nested: [{ password: 'pw2' }] },
          text: 'bill acct_123456 now',
        },
      },
    })
    expect(out.url).toBe('https://x.test/a?sig=[REDACTED:sig]&keep=1')
    expect(out.headers).toEqual({
      'x-tenant-token': '[REDACTED:x-tenant-token]',
      authorization: '[REDACTED:authorization]',
    })
    expect(out.body).toEqual({
      json: {
        user: { email: '[REDACTED:path]', name: 'Ada' },
        items: [{ token: '[REDACTED:path]' }, { token: '[REDACTED:path]' }],
        settings: { password: '[REDACTED:path]', nested: [{ password: '[REDACTED:path]' }] },
        text: 'bill [REDACTED:pattern] now',
      },
    })
  })

  test('paths apply to the JSON of each stream event too', () => {
    const redactor = createRedactor({ paths: ['$.id'] })
    const out = redactor.response({
      status: 200,
      headers: {},
      stream: {
        format: 'sse',
        events: [{ json: { id: 'c1', n: 1 } }, { json: { id: 'c1', n: 2 } }],
        completion: 'clean',
      },
    })
    expect(out.stream?.events.map((event) => event.json)).toEqual([
      { id: '[REDACTED:path]', n: 1 },
      { id: '[REDACTED:path]', n: 2 },
    ])
  })

  test('user patterns keep working when given with the g or y flag and do not change the caller RegExp', () => {
    const pattern = /secret-\d+/gy
    pattern.lastIndex = 3
    const redactor = createRedactor({ patterns: [pattern], defaults: false })
    expect(redactor.text('a secret-1 and secret-2')).toBe('a [REDACTED:pattern] and [REDACTED:pattern]')
    expect(pattern.lastIndex).toBe(3)
  })

  test('a pattern made in another realm (a Jest test sandbox) is a pattern too', () => {
    const pattern = runInNewContext('/acct_[0-9]{4}/') as RegExp
    expect(pattern instanceof RegExp).toBe(false)
    const redactor = createRedactor({ patterns: [pattern], defaults: false })
    expect(redactor.text('id acct_1234')).toBe('id [REDACTED:pattern]')
  })

  test('a pattern that matches placeholders or the empty string changes nothing twice', () => {
    const redactor = createRedactor({ patterns: [/REDACTED/, /x*/] })
    const once = redactor.text(`k ${OPENAI_KEY} REDACTED`)
    expect(once).toBe('k [REDACTED:openai-key] [REDACTED:pattern]')
    expect(redactor.text(once)).toBe(once)
  })

  test('defaults: false keeps only the user rules', () => {
    const redactor = createRedactor({ defaults: false, headers: ['x-mine'] })
    const out = redactor.request(
      request({ url: `https://x.test/?key=k1`, headers: { authorization: 'Bearer abc', 'x-mine': 'v' } }),
    )
    expect(out.headers).toEqual({ authorization: 'Bearer abc', 'x-mine': '[REDACTED:x-mine]' })
    expect(out.url).toBe('https://x.test/?key=k1')
    expect(redactor.text(OPENAI_KEY)).toBe(OPENAI_KEY)
  })

  test('bad rules are refused with RPK_BAD_CONFIG', () => {
    expect(() => createRedactor({ paths: ['$.a['] })).toThrowError(/redact\.paths.*\$\.a\[/s)
    let error: unknown
    try {
      createRedactor({ patterns: ['sk-' as unknown as RegExp] })
    } catch (caught) {
      error = caught
    }
    expect(isReplayKitError(error) && error.code).toBe('RPK_BAD_CONFIG')
  })
})

describe('policy hook', () => {
  test('sees every value with its location, name, original value and URL, and has the last word', () => {
    const seen: RedactContext[] = []
    const redactor = createRedactor({
      paths: ['$.user.email'],
      policy: (context) => {
        seen.push(context)
        if (context.location === 'header' && context.name === 'x-request-id') return '[REDACTED:request-id]'
        if (context.name === '$.user.name') return '[REDACTED:name]'
        if (context.location === 'query' && context.name === 'session') return 'sess one'
        // Undo a rule: keep the org header readable.
        if (context.name === 'openai-organization') return String(context.value)
        return undefined
      },
    })
    const out = redactor.request({
      method: 'POST',
      url: 'https://x.test/a?session=s1&key=k',
      headers: { 'x-request-id': 'r1', 'openai-organization': 'org-1', authorization: 'Bearer t' },
      body: { json: { user: { email: 'ada@example.com', name: 'Ada', age: 36 } } },
    })
    expect(out.headers).toEqual({
      'x-request-id': '[REDACTED:request-id]',
      'openai-organization': 'org-1',
      authorization: '[REDACTED:authorization]',
    })
    expect(out.url).toBe('https://x.test/a?session=sess%20one&key=[REDACTED:key]')
    expect(out.body).toEqual({ json: { user: { email: '[REDACTED:path]', name: '[REDACTED:name]', age: 36 } } })
    const url = 'https://x.test/a?session=s1&key=k'
    expect(seen).toEqual(
      expect.arrayContaining([
        { location: 'query', name: 'session', value: 's1', url },
        { location: 'query', name: 'key', value: 'k', url },
        { location: 'header', name: 'authorization', value: 'Bearer t', url },
        { location: 'body', name: '$.user.email', value: 'ada@example.com', url },
        { location: 'body', name: '$.user.age', value: 36, url },
      ]),
    )
  })

  test('runs on text bodies and stream events, naming the event by index', () => {
    const seen: string[] = []
    const redactor = createRedactor({
      policy: ({ location, name }) => {
        seen.push(`${location} ${name}`)
        return name === '$[1].delta' ? 'X' : undefined
      },
    })
    const out = redactor.response(
      {
        status: 200,
        headers: {},
        body: { text: 'plain' },
        stream: { format: 'sse', events: [{ data: 'a' }, { json: { delta: 'b', n: 1 } }], completion: 'clean' },
      },
      'https://x.test/s',
    )
    expect(out.stream?.events[1]?.json).toEqual({ delta: 'X', n: 1 })
    expect(seen).toEqual(['body $', 'stream $[0]', 'stream $[1].delta', 'stream $[1].n'])
  })
})

describe('purity', () => {
  test('never changes its input and returns fresh objects', () => {
    const redactor = createRedactor({ paths: ['$.a'] })
    const input: HttpRequestData = request({
      url: `https://x.test/?key=${GOOGLE_KEY}`,
      body: { json: { a: { b: 1 }, c: [OPENAI_KEY] } },
    })
    const response: HttpResponseData = {
      status: 200,
      headers: { 'set-cookie': 'a=b' },
      stream: { format: 'sse', events: [{ json: { k: OPENAI_KEY } }], completion: 'clean' },
    }
    const before = JSON.stringify([input, response])
    const out = redactor.request(input)
    const outResponse = redactor.response(response)
    expect(JSON.stringify([input, response])).toBe(before)
    expect(out).not.toBe(input)
    expect(out.headers).not.toBe(input.headers)
    expect(out.body).not.toBe(input.body)
    expect(outResponse.stream).not.toBe(response.stream)
    expect(outResponse.stream?.events[0]).not.toBe(response.stream?.events[0])
    // The same input always gives the same output.
    expect(redactor.request(input)).toEqual(out)
  })

  test('keeps a __proto__ member as data without touching Object.prototype', () => {
    const value = JSON.parse(`{"__proto__": {"k": "${OPENAI_KEY}"}}`) as JsonValue
    const out = createRedactor().json(value) as Record<string, unknown>
    expect(Object.keys(out)).toEqual(['__proto__'])
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ k: '[REDACTED:openai-key]' })
  })

  test('redactSecrets is the pattern part alone', () => {
    expect(redactSecrets(`x ${AWS_KEY} y`)).toBe('x [REDACTED:aws-access-key] y')
  })
})
