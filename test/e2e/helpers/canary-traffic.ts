/**
 * The code under test of the canary suite (test/e2e/canaries.test.ts): real
 * SDK clients and plain `fetch` that put every kind of secret ReplayKit
 * promises to redact on the wire, in requests, responses, stream events, the
 * value `fn` returns and the errors it throws. Run in-process by the core part
 * and copied as it is into the temporary project of the runner part, so it
 * imports nothing but the SDKs.
 */
import Anthropic from '@anthropic-ai/sdk'
import { GoogleGenAI } from '@google/genai'
import OpenAI from 'openai'

/** Unique canary values by kind, e.g. `header:x-auth-token`, `pattern:jwt`. */
export type Canaries = Record<string, string>

/** Where the traffic goes: the fake provider and the canary server (plain routes). */
export interface Wire {
  fakeUrl: string
  wireUrl: string
  canaries: Canaries
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** Random characters from an alphabet: each canary is unique to its run of the suite. */
function random(length: number, alphabet = ALNUM): string {
  let out = ''
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(Math.random() * alphabet.length)]
  return out
}

const b64url = (text: string): string => Buffer.from(text).toString('base64url')

/** Every promised secret kind, each with a fresh value (prefixes built by concatenation: no literal here is a key). */
export function makeCanaries(): Canaries {
  const opaque = () => `cnry${random(20)}`
  const c: Canaries = {}
  const headers = [
    'authorization',
    'proxy-authorization',
    'x-api-key',
    'api-key',
    'x-goog-api-key',
    'cookie',
    'x-auth-token',
    'x-session-token',
    'x-partner-api-key',
  ]
  for (const name of headers) c[`header:${name}`] = opaque()
  for (const name of ['set-cookie', 'x-auth-token', 'location access_token']) c[`response-header:${name}`] = opaque()
  for (const name of ['key', 'api_key', 'apikey', 'token', 'access_token', 'client_secret', 'sig']) {
    c[`query:${name}`] = opaque()
  }
  for (const name of ['api_key', 'client_secret']) c[`form:${name}`] = opaque()
  const fields = ['password', 'api_key', 'apiKey', 'token', 'secret', 'client_secret', 'access_token', 'refresh_token']
  for (const name of fields) {
    c[`request-field:${name}`] = opaque()
    c[`response-field:${name}`] = opaque()
  }
  const patterns: Record<string, () => string> = {
    'openai-key': () => `${'sk'}-${random(40)}`,
    'openai-project-key': () => `${'sk'}-proj-${random(40)}`,
    'anthropic-key': () => `${'sk'}-ant-api03-${random(40)}`,
    'google-api-key': () => `${'AI'}za${random(35)}`,
    'google-oauth-token': () => `${'ya'}29.${random(40)}`,
    'github-token': () => `${'gh'}p_${random(36)}`,
    'github-pat': () => `${'github'}_pat_${random(22)}_${random(59)}`,
    'aws-access-key': () => `${'AK'}IA${random(16, BASE32)}`,
    jwt: () =>
      `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(`{"sub":"${random(12)}","n":"${random(8)}"}`)}.${random(43)}`,
    bearer: () => `cnryBearer${random(30)}`,
  }
  // Each body pattern is planted in several places: one value per place, so a leak names its place.
  for (const place of [
    'request-body',
    'response-body',
    'sse-data',
    'answer',
    'split-answer',
    'tool-arguments',
    'outcome',
    'error',
  ]) {
    for (const [name, make] of Object.entries(patterns)) c[`${place}:${name}`] = make()
  }
  c['url-credentials:password'] = `cnrypw${random(20)}`
  c['url-credentials:error'] = `cnrypw${random(20)}`
  c['percent-encoded:query'] = `${'sk'}-proj-${random(40)}`
  c['percent-encoded:body'] = `${'sk'}-proj-${random(40)}`
  c['sse:id'] = `${'sk'}-proj-${random(40)}`
  c['sse:event'] = `${'gh'}p_${random(36)}`
  c['provider-key:openai'] = `${'sk'}-proj-${random(40)}`
  c['provider-key:anthropic'] = `${'sk'}-ant-api03-${random(40)}`
  c['provider-key:gemini'] = `${'AI'}za${random(35)}`
  c['outcome:cookie'] = opaque()
  c['error:query-key'] = opaque()
  c['error:401-body'] = `${'sk'}-proj-${random(40)}`
  return c
}

/** The body-pattern canaries of one place, written as a text with each in its usual surroundings. */
export function patternText(c: Canaries, place: string): string {
  const pick = (name: string) => c[`${place}:${name}`] ?? ''
  return [
    `openai ${pick('openai-key')} project ${pick('openai-project-key')} anthropic ${pick('anthropic-key')}`,
    `google ${pick('google-api-key')} oauth ${pick('google-oauth-token')} github ${pick('github-token')}`,
    `pat ${pick('github-pat')} aws ${pick('aws-access-key')} jwt ${pick('jwt')} auth: Bearer ${pick('bearer')}`,
  ].join(' ')
}

/** The three providers, streaming and not: keys in the auth headers, secrets in prompts and answers. */
export async function providerTraffic(wire: Wire, stream: boolean): Promise<string> {
  const { canaries: c } = wire
  const prompt = `summarise ${patternText(c, 'request-body')}`
  const openai = new OpenAI({ baseURL: `${wire.fakeUrl}/v1`, apiKey: c['provider-key:openai'], maxRetries: 0 })
  const anthropic = new Anthropic({ baseURL: wire.fakeUrl, apiKey: c['provider-key:anthropic'], maxRetries: 0 })
  const gemini = new GoogleGenAI({ apiKey: c['provider-key:gemini'] as string, httpOptions: { baseUrl: wire.fakeUrl } })
  const out: string[] = []
  // The fake answers a request that declares `lookup` with a call to it, its arguments holding secrets.
  const tools = [
    { type: 'function' as const, function: { name: 'lookup', parameters: { type: 'object', properties: {} } } },
  ]
  const call = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'look it up' }],
    tools,
    ...(stream ? { stream: true as const } : {}),
  })
  if (Symbol.asyncIterator in call) {
    for await (const chunk of call) out.push(chunk.choices[0]?.delta?.tool_calls?.[0]?.function?.arguments ?? '')
  } else {
    out.push(call.choices[0]?.message.tool_calls?.[0]?.type ?? '')
  }
  if (stream) {
    const chat = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: prompt }],
    })
    for await (const chunk of chat) out.push(chunk.choices[0]?.delta?.content ?? '')
    const message = anthropic.messages.stream({
      model: 'claude-sonnet-5-5',
      max_tokens: 64,
      messages: [{ role: 'user', content: prompt }],
    })
    out.push(((await message.finalMessage()).content[0] as { text?: string }).text ?? '')
    for await (const chunk of await gemini.models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: prompt,
    })) {
      out.push(chunk.text ?? '')
    }
  } else {
    const chat = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: prompt }],
    })
    out.push(chat.choices[0]?.message.content ?? '')
    const message = await anthropic.messages.create({
      model: 'claude-sonnet-5-5',
      max_tokens: 64,
      messages: [{ role: 'user', content: prompt }],
    })
    out.push((message.content[0] as { text?: string }).text ?? '')
    out.push((await gemini.models.generateContent({ model: 'gemini-2.5-flash', contents: prompt })).text ?? '')
  }
  // The answers as the app reads them: deltas joined.
  return out.join('')
}

/** Plain HTTP to the canary server: secrets in headers, query, form and JSON bodies, both ways; SSE. */
export async function wireTraffic(wire: Wire): Promise<unknown> {
  const c = wire.canaries
  const h = (name: string) => c[`header:${name}`] as string
  const query = ['key', 'api_key', 'apikey', 'token', 'access_token', 'client_secret', 'sig']
    .map((name) => `${name}=${c[`query:${name}`]}`)
    .join('&')
  const encoded = encodeURIComponent(c['percent-encoded:query'] as string).replace(/-/g, '%2D')
  const res = await fetch(`${wire.wireUrl}/secrets?${query}&q=${encoded}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${h('authorization')}`,
      'proxy-authorization': `Basic ${h('proxy-authorization')}`,
      'x-api-key': h('x-api-key'),
      'api-key': h('api-key'),
      'x-goog-api-key': h('x-goog-api-key'),
      cookie: `session=${h('cookie')}`,
      'x-auth-token': h('x-auth-token'),
      'x-session-token': h('x-session-token'),
      'x-partner-api-key': h('x-partner-api-key'),
    },
    body: JSON.stringify({
      user: {
        password: c['request-field:password'],
        api_key: c['request-field:api_key'],
        apiKey: c['request-field:apiKey'],
        token: c['request-field:token'],
        secret: c['request-field:secret'],
        client_secret: c['request-field:client_secret'],
        access_token: c['request-field:access_token'],
        refresh_token: c['request-field:refresh_token'],
      },
      note: patternText(c, 'request-body'),
      encoded: encodeURIComponent(c['percent-encoded:body'] as string).replace(/-/g, '%2D'),
    }),
  })
  const body = await res.json()
  const form = await fetch(`${wire.wireUrl}/form`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      api_key: c['form:api_key'] as string,
      client_secret: c['form:client_secret'] as string,
    }),
  })
  await form.text()
  const redirect = await fetch(`${wire.wireUrl}/redirect`, { redirect: 'manual' })
  await redirect.text()
  const sse = await fetch(`${wire.wireUrl}/events`)
  const events = await sse.text()
  const split = await fetch(`${wire.wireUrl}/split/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
  })
  await split.text()
  // The value fn returns: a cookie read from a response, and the body it got.
  return { cookie: res.headers.get('set-cookie'), token: res.headers.get('x-auth-token'), body, events: events.length }
}

/** The errors fn throws: URL credentials in a fetch error, a `?key=` URL, a provider 401 body quoting the key. */
export async function failingTraffic(wire: Wire, which: 'credentials' | 'query' | 'provider-401'): Promise<never> {
  const c = wire.canaries
  if (which === 'credentials') {
    const url = wire.wireUrl.replace('://', `://alice:${c['url-credentials:error']}@`)
    await fetch(`${url}/secrets`)
    throw new Error('unreachable: fetch refuses URLs with credentials')
  }
  if (which === 'query') {
    const res = await fetch(`${wire.wireUrl}/missing?key=${c['error:query-key']}`)
    throw new Error(`GET ${res.url} answered ${res.status} ${patternText(c, 'error')}`)
  }
  const res = await fetch(`${wire.wireUrl}/v1/unauthorized`)
  const body = (await res.json()) as { error: { message: string } }
  throw new Error(`provider refused: ${body.error.message}`)
}

/** The value fn returns with secrets in it directly. */
export function outcomeValue(wire: Wire): unknown {
  const c = wire.canaries
  return { cookie: `session=${c['outcome:cookie']}`, note: patternText(c, 'outcome') }
}
