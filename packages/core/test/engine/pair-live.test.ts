/**
 * live-compare pairing (pair-live.ts): each live exchange is compared with one recorded
 * exchange, by the same request first, then by method and URL in order.
 */
import { expect, test } from 'vitest'
import { pairLiveExchanges } from '../../src/engine/pair-live.js'
import type { HttpRequestData, Run, Step } from '../../src/index.js'
import { exchangesOf } from '../../src/public/engine.js'

const CHAT = 'http://127.0.0.1:4010/v1/chat/completions'
const SEARCH = 'http://127.0.0.1:4011/search'

function request(url: string, json?: unknown): HttpRequestData {
  return json === undefined
    ? { method: 'GET', url, headers: {} }
    : { method: 'POST', url, headers: {}, body: { json: json as never } }
}

/** A recorded run of http exchanges x1, x2, … with these requests. */
function recordedRun(requests: HttpRequestData[]): Run {
  const steps: Step[] = requests.flatMap((req, i): Step[] => [
    { kind: 'http.request', seq: i * 2, correlationId: `x${i + 1}`, request: req },
    { kind: 'http.response', seq: i * 2 + 1, correlationId: `x${i + 1}`, response: { status: 200, headers: {} } },
  ])
  return { name: 't', index: 1, steps, outcome: { type: 'return' } }
}

const keyOf = (req: HttpRequestData) => JSON.stringify([req.method, req.url, req.body ?? null])

function pairs(recorded: HttpRequestData[], live: HttpRequestData[]): Array<string | undefined> {
  const exchanges = live.map((req) => ({ request: req }))
  const paired = pairLiveExchanges(exchanges, exchangesOf(recordedRun(recorded)), keyOf)
  return exchanges.map((exchange) => paired.get(exchange)?.correlationId)
}

test('the same requests take the recorded correlation ids, not ids numbered after the recording', () => {
  const requests = [request(CHAT, { n: 1 }), request(SEARCH), request(CHAT, { n: 2 })]
  expect(pairs(requests, requests)).toEqual(['x1', 'x2', 'x3'])
})

test('requests that finished in another order still pair with their own recorded exchange', () => {
  const a = request(CHAT, { q: 'a' })
  const b = request(CHAT, { q: 'b' })
  expect(pairs([a, b], [b, a])).toEqual(['x2', 'x1'])
})

test('repeated identical requests pair with the recorded occurrences in order', () => {
  const same = request(SEARCH)
  expect(pairs([same, same, same], [same, same])).toEqual(['x1', 'x2'])
})

test('a changed body (a new prompt, a fresh tool call id) pairs with the recorded request at its place', () => {
  const recorded = [request(CHAT, { turn: 1 }), request(SEARCH), request(CHAT, { turn: 2, id: 'call_old' })]
  const live = [request(CHAT, { turn: 1 }), request(SEARCH), request(CHAT, { turn: 2, id: 'call_new' })]
  expect(pairs(recorded, live)).toEqual(['x1', 'x2', 'x3'])
})

test('exact matches are paired before changed ones, so a changed request cannot take an unchanged one', () => {
  const recorded = [request(CHAT, { q: 'a' }), request(CHAT, { q: 'b' })]
  // The first live request changed; the second is the recorded second one.
  expect(pairs(recorded, [request(CHAT, { q: 'A' }), request(CHAT, { q: 'b' })])).toEqual(['x1', 'x2'])
})

test('a request to another URL, or one more than recorded, stays unpaired (an extra step)', () => {
  expect(pairs([request(SEARCH)], [request(SEARCH), request(SEARCH), request(`${SEARCH}?page=2`)])).toEqual([
    'x1',
    undefined,
    undefined,
  ])
})
