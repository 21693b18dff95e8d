/**
 * The gaps issue 9 found in redaction: default rules that missed credentials,
 * SSE `id:`/`event:` fields, derived step text and the outcome of `fn`, printed
 * values, the pre-write scan that refused whole files (and test files named
 * like a token), and its hint that did not work.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { HttpResponseData, JsonValue, Run } from '../../src/artifact/types.js'
import { writeRpkFile } from '../../src/artifact/write.js'
import { formatDivergence } from '../../src/diff/format.js'
import { isReplayKitError } from '../../src/errors.js'
import { compareRuns, divergenceJson } from '../../src/index.js'
import { runCapture } from '../../src/public/engine.js'
import { createRedactor, redactPrinted } from '../../src/redact/index.js'
import { driftLines, problemLines } from '../../src/replay-matcher/messages.js'
import { ReplayFile } from '../../src/store/replay-file.js'
import { rpkPathFor } from '../../src/store/rpk-path.js'
import { clip } from '../../src/timeline/rows.js'

// Built by concatenation so that this file itself holds no literal that scanners flag.
const KEY = `sk-proj-${'Q1w2E3r4T5'.repeat(3)}`
const SECRET = 'canary-secret-value-7788'

describe('default rules', () => {
  const redactor = createRedactor()

  test.each(['token', 'access_token', 'apikey', 'client_secret', 'sig', 'refresh_token'])(
    'query parameter ?%s=',
    (name) => {
      const url = redactor.url(`https://api.example.com/v1/x?${name}=${SECRET}&page=2`)
      expect(url).toBe(`https://api.example.com/v1/x?${name}=[REDACTED:${name}]&page=2`)
    },
  )

  test('api_key= in a form body, and access_token= in a redirect Location', () => {
    const out = createRedactor().request({
      method: 'POST',
      url: 'https://auth.example.com/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: { text: `grant_type=client_credentials&api_key=${SECRET}&client_secret=${SECRET}` },
    })
    expect(out.body).toEqual({
      text: 'grant_type=client_credentials&api_key=[REDACTED:api_key]&client_secret=[REDACTED:client_secret]',
    })
    const response = redactor.response({
      status: 302,
      headers: {
        location: `https://app.example.com/cb#x?access_token=${SECRET}`,
        'content-location': `/a?token=${SECRET}`,
      },
    })
    expect(JSON.stringify(response)).not.toContain(SECRET)
  })

  test.each([
    'x-auth-token',
    'x-session-token',
    'x-custom-api-key',
    'my-api-key',
    'x-client-secret',
    'proxy-authorization',
  ])('header %s is replaced whole', (name) => {
    const out = redactor.request({ method: 'GET', url: 'https://h/', headers: { [name]: SECRET } })
    expect(out.headers[name]).toBe(`[REDACTED:${name}]`)
  })

  test('rate-limit headers that count tokens stay readable', () => {
    const headers = { 'x-ratelimit-remaining-tokens': '9000', 'anthropic-ratelimit-tokens-limit': '100' }
    expect(redactor.response({ status: 200, headers }).headers).toEqual(headers)
  })

  test('JSON fields named like credentials, case, underscore and dash aside', () => {
    const body = {
      password: SECRET,
      api_key: SECRET,
      apiKey: SECRET,
      'api-key': SECRET,
      token: SECRET,
      secret: SECRET,
      client_secret: SECRET,
      access_token: SECRET,
      refresh_token: SECRET,
      nested: [{ Password: SECRET }],
      max_tokens: 10,
      name: 'kept',
    }
    const out = redactor.json(body) as { [key: string]: JsonValue }
    expect(JSON.stringify(out)).not.toContain(SECRET)
    expect(out.apiKey).toBe('[REDACTED:apikey]')
    expect(out.max_tokens).toBe(10)
    expect(out.name).toBe('kept')
    expect(redactor.json(out as JsonValue)).toEqual(out)
  })

  test('JSON fields written in text: a text body, an error message, tool arguments sent as a string', () => {
    const text = `401: {"error":"bad","api_key": "${SECRET}","refresh_token":"${SECRET}"}`
    expect(redactor.text(text)).toBe(
      '401: {"error":"bad","api_key": "[REDACTED:apikey]","refresh_token":"[REDACTED:refreshtoken]"}',
    )
    const args = redactor.json({ arguments: JSON.stringify({ password: SECRET, city: 'Oslo' }) })
    expect(JSON.stringify(args)).not.toContain(SECRET)
    expect(JSON.stringify(args)).toContain('Oslo')
  })

  test('stand-ins written for a reader stay: a model answer quoting an example URL replays as it was recorded', () => {
    const answer = 'Call https://api.example.com/v1?key=YOUR_API_KEY or ?token=<token> with {"api_key": "$API_KEY"}'
    expect(redactor.text(answer)).toBe(answer)
  })

  test('a token of text in OpenAI log probabilities is no credential', () => {
    const logprobs = { content: [{ token: 'Hello', logprob: -0.1, bytes: [72], top_logprobs: [] }] }
    expect(redactor.json(logprobs)).toEqual(logprobs)
  })

  test('percent-encoded keys in a body, in text and in a URL', () => {
    const encoded = encodeURIComponent(KEY).replace(/-/g, '%2D')
    expect(redactor.text(`q=${encoded}&x=1`)).not.toContain('Q1w2E3r4T5')
    expect(JSON.stringify(redactor.json({ link: `https://h/?q=${encoded}` }))).not.toContain('Q1w2E3r4T5')
    expect(redactor.url(`https://h/p/${encoded}`)).not.toContain('Q1w2E3r4T5')
  })

  test('URL credentials and key parameters quoted inside text (an error message)', () => {
    const message = `request to https://alice:${SECRET}@api.example.com/v1?key=${SECRET} failed`
    expect(redactor.text(message)).toBe(
      'request to https://[REDACTED:userinfo]@api.example.com/v1?key=[REDACTED:key] failed',
    )
  })

  test('SSE id and event fields', () => {
    const response: HttpResponseData = {
      status: 200,
      headers: {},
      stream: { format: 'sse', completion: 'clean', events: [{ id: KEY, event: `e ${KEY}`, data: 'x' }] },
    }
    expect(JSON.stringify(redactor.response(response))).not.toContain(KEY)
  })
})

describe('printed values', () => {
  test('the last line of defence replaces patterns, key parameters and URL credentials', () => {
    expect(redactPrinted(`GET https://u:${SECRET}@h/x?token=${SECRET} ${KEY}`)).toBe(
      'GET https://[REDACTED:userinfo]@h/x?token=[REDACTED:token] [REDACTED:openai-key]',
    )
  })

  test('a value cut to fit a line is redacted before the cut (CLI inspect)', () => {
    const line = clip(`answer: ${KEY} and more`, 20)
    expect(line).toBe('answer: [REDACTED:o…')
  })

  test('divergence reports, drift lines and problem lines print no secret', () => {
    const run = (text: string): Run => ({
      name: 't',
      index: 1,
      steps: [],
      outcome: { type: 'return', value: { text } },
    })
    const comparison = compareRuns(run('a'), run(`leaked ${KEY}`))
    const printed = [
      formatDivergence(comparison, { color: false }),
      JSON.stringify(divergenceJson(comparison)),
      ...driftLines(comparison.all, comparison.differences),
      ...problemLines(
        [{ type: 'unmatched-request', seq: 0, method: 'GET', url: `https://h/?key=${SECRET}`, message: '' }],
        false,
      ),
    ].join('\n')
    expect(printed).not.toContain(KEY)
    expect(printed).not.toContain(SECRET)
  })
})

describe('captured runs', () => {
  let server: Server
  let origin: string
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/v1/chat/completions') {
        res.writeHead(200, { 'content-type': 'text/event-stream' })
        // A key split across two deltas is whole only in the assembled answer text.
        const half = KEY.length / 2
        for (const part of [KEY.slice(0, half), KEY.slice(half)]) {
          res.write(
            `data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: part } }] })}\n\n`,
          )
        }
        res.end('data: [DONE]\n\n')
        return
      }
      res.writeHead(401, { 'content-type': 'application/json', 'set-cookie': `session=${SECRET}` })
      res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${KEY}` } }))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  test('the outcome of fn goes through the redactor: a returned cookie, an error quoting a URL or a key', async () => {
    const returned = await runCapture(
      async () => {
        const res = await fetch(`${origin}/auth`)
        return { cookie: res.headers.get('set-cookie'), body: await res.json() }
      },
      { mode: 'record' },
    )
    const thrown = await runCapture(
      async () => {
        throw new Error(`fetch to https://bob:${SECRET}@h/x?key=${SECRET} failed: ${KEY}`)
      },
      { mode: 'record' },
    )
    const stored = JSON.stringify([returned.run, thrown.run])
    expect(stored).not.toContain(SECRET)
    expect(stored).not.toContain(KEY)
    // What fn returned is handed back to the test as it was.
    expect((returned.value as { cookie: string }).cookie).toBe(`session=${SECRET}`)
  })

  test('user rules apply to the outcome too', async () => {
    const result = await runCapture(async () => ({ account: 'acct-4242' }), {
      mode: 'record',
      redact: { paths: ['$.account'] },
    })
    expect(result.run.outcome).toEqual({ type: 'return', value: { account: '[REDACTED:path]' } })
  })

  test('a key split across stream deltas is redacted in the assembled answer text', async () => {
    const result = await runCapture(
      async () => {
        const res = await fetch(`${origin}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
        })
        await res.text()
      },
      { mode: 'record' },
    )
    expect(result.threw).toBe(false)
    const answer = result.run.steps.find((step) => step.kind === 'model.response')
    expect(answer && 'text' in answer ? answer.text : undefined).toBe('[REDACTED:openai-key]')
    // The recorded deltas, joined as a client joins them on replay, hold no key either.
    const events = answer && 'response' in answer ? (answer.response.stream?.events ?? []) : []
    const deltas = events.map((event) => {
      const json = event.json as { choices?: { delta?: { content?: string } }[] } | undefined
      return json?.choices?.[0]?.delta?.content ?? ''
    })
    expect(deltas.join('')).toBe('[REDACTED:openai-key]')
    expect(JSON.stringify(result.run)).not.toContain(KEY)
  })
})

describe('the pre-write scan refuses one run, not the file', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rpk-refusal-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const leakyRun = (name: string, value: string): Run => ({
    name,
    index: 1,
    steps: [],
    outcome: { type: 'return', value: { data: { key: value } } },
  })

  test('keeps the other runs, names the test and the JSON path, and the hint verbatim makes the next run record', async () => {
    const testFile = join(dir, 'agent.test.ts')
    const file = new ReplayFile(testFile, { update: 'new' })
    file.store('clean 1', leakyRun('clean', 'nothing here'))
    file.store('leaky 1', leakyRun('leaky', KEY))
    const saved = file.save()
    expect(saved.written).toBe(true)
    expect(saved.added).toEqual(['clean 1'])
    expect(saved.unsaved).toEqual(['leaky 1'])
    const error = saved.error as Error & { hint?: string }
    expect(error.message).toContain('"leaky 1" at $.outcome.value.data.key')
    expect(readFileSync(rpkPathFor(testFile), 'utf8')).toContain('"clean 1"')

    // Follow the hint to the letter: its `redact: { … }` goes into the capture's options.
    const snippet = /redact: (\{ patterns: \[.*\] \})/.exec(error.hint ?? '')?.[1]
    expect(snippet).toBeDefined()
    const redact = new Function(`return ${snippet}`)() as { patterns: RegExp[] }
    // The user had turned the built-in rules off: that is how the value got through.
    const rerun = await runCapture(async () => ({ data: { key: KEY } }), {
      mode: 'record',
      redact: { defaults: false, ...redact },
    })
    const again = new ReplayFile(testFile, { update: 'new' })
    again.store('leaky 1', { ...rerun.run, name: 'leaky' })
    const second = again.save()
    expect(second.error).toBeUndefined()
    expect(second.added).toEqual(['leaky 1'])
    expect(readFileSync(rpkPathFor(testFile), 'utf8')).not.toContain(KEY)
  })

  test('a test file and tests named like tokens are recorded: ReplayKit’s own names are no secrets', () => {
    const testFile = join(dir, 'pat-ya29.test.ts')
    const token = `ya29.${'a0AfH6SMBx'.repeat(3)}`
    const file = new ReplayFile(testFile, { update: 'new' })
    file.store(`handles ${token} 1`, leakyRun(`handles ${token}`, 'fine'))
    const saved = file.save()
    expect(saved.error).toBeUndefined()
    expect(saved.written).toBe(true)
  })

  test('the writer still finds a secret after a name that looks like a token, and names its line', () => {
    const token = `ya29.${'a0AfH6SMBx'.repeat(3)}`
    let error: unknown
    try {
      writeRpkFile(join(dir, 'hand-made.rpk'), { runs: { [`handles ${token} 1`]: leakyRun(`handles ${token}`, KEY) } })
    } catch (caught) {
      error = caught
    }
    expect(isReplayKitError(error) && error.code).toBe('RPK_SECRET_DETECTED')
    expect((error as Error).message).toMatch(/line \d+ would contain a value that looks like a openai-key/)
  })
})
