/**
 * Exchanges in flight when the listener is killed (issue 13: "a restart
 * recovers the journal and classifies what was in flight"): each is noted as it
 * starts (`<out>.inflight`), and the next start, or `recoverRecording` (what
 * `replaykit listen status`/`stop`/`start` run on a killed listener's artifact),
 * writes it into the artifact as interrupted: its request, then an
 * `error.event` RPK_GATEWAY_INTERRUPTED saying whether its answer had begun.
 * Never lost, never replayed as if complete. The killed listener runs the built
 * package in a child process (`npm run build` first).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type FakeProvider, startFakeProvider } from '../../../../test/utils/fake-provider.js'
import type {
  ErrorEventStep,
  HttpRequestData,
  HttpResponseData,
  ModelRequestStep,
  Step,
} from '../../src/artifact/types.js'
import { type Flight, InFlightLedger, readInFlight } from '../../src/gateway/in-flight.js'
import { GatewayRecording } from '../../src/gateway/recording.js'
import { recoverRecording, startGateway } from '../../src/public/gateway.js'
import { JournalStore } from '../../src/store/journal-store.js'
import { spawnBuiltGateway } from './built-gateway.js'

let dir: string
/** Answers at once (the exchanges completed before the kill). */
let fast: FakeProvider
/** Sends a stream's first event, then waits: an answer begun, cut by the kill. */
let stalling: FakeProvider
/** Answers nothing for a while: a request received, not answered. */
let silent: FakeProvider
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-gateway-in-flight-'))
  fast = await startFakeProvider()
  stalling = await startFakeProvider({ eventDelayMs: 4_000 })
  silent = await startFakeProvider({ latencyMs: 4_000 })
})
afterAll(async () => {
  await Promise.all([fast.close(), stalling.close(), silent.close()])
  rmSync(dir, { recursive: true, force: true })
})

const GEMINI = '/v1beta/models/gemini-2.0-flash:generateContent'

function completed(url: string, i: number): Promise<Response> {
  return fetch(`${url}${GEMINI}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-replaykit-session': 'done' },
    body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: `completed ${i}` }] }] }),
  })
}

/** A streamed chat completion whose first event has reached the client. */
async function streamBegun(url: string, i: number): Promise<void> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-replaykit-session': `stream-${i % 4}` },
    body: JSON.stringify({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: `streaming ${i}` }] }),
  })
  expect(response.status).toBe(200)
  const first = await response.body?.getReader().read()
  expect(first?.done).toBe(false)
}

/** A system prompt large enough to be stored once by hash (shared-parts.ts): the in-flight notes refer to it too. */
const SYSTEM = 'You are a careful assistant that answers in one line. '.repeat(40)

function waitingRequest(url: string, i: number): Promise<Response> {
  return fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'sk-ant-test', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({
      model: 'claude-x',
      max_tokens: 16,
      system: SYSTEM,
      messages: [{ role: 'user', content: `waiting ${i}` }],
    }),
  })
}

function waiting(url: string, i: number): void {
  waitingRequest(url, i).catch(() => {})
}

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** A listener killed with -9 while 24 streams have begun their answers and 8 requests wait for one. */
async function killedMidFlight(out: string): Promise<string[]> {
  const { child, url } = await spawnBuiltGateway(out, `${stalling.url}/v1`, {
    anthropic: silent.url,
    gemini: fast.url,
  })
  const texts: string[] = []
  for (let i = 0; i < 8; i++) texts.push(await (await completed(url, i)).text())
  await Promise.all(Array.from({ length: 24 }, (_, i) => streamBegun(url, i)))
  for (let i = 0; i < 8; i++) waiting(url, i)
  await until(() => silent.requests.length === 8)
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGKILL')
  await exited
  expect(existsSync(`${out}.inflight`)).toBe(true)
  return texts
}

function runsOf(out: string): Step[][] {
  const file = new JournalStore(out, { onWarning: () => {} }).read()
  return Object.values(file?.runs ?? {}).map((run) => run.steps)
}

function stepsOf(out: string): Step[] {
  return runsOf(out).flat()
}

/** The interrupted exchanges: the question each asked (its request, same run and correlation id), and its error.event's message. */
function interrupted(out: string): Map<string, string> {
  const found = new Map<string, string>()
  for (const steps of runsOf(out)) {
    for (const step of steps) {
      if (step.kind !== 'error.event' || step.code !== 'RPK_GATEWAY_INTERRUPTED') continue
      const request = steps.find(
        (each): each is ModelRequestStep => each.kind === 'model.request' && each.correlationId === step.correlationId,
      )
      const question = /(streaming|waiting) \d+/.exec(JSON.stringify(request?.request.body))?.[0] ?? '(no request)'
      found.set(question, (step as ErrorEventStep).message)
    }
  }
  return found
}

it('a restart writes every exchange in flight at a kill -9 as interrupted, and replays every completed one', async () => {
  stalling.reset()
  silent.reset()
  const out = join(dir, 'restarted.rpk')
  const texts = await killedMidFlight(out)

  // The next start on the same artifact finds them, writes them, and says so.
  const restarted = await startGateway({ out, upstreams: { gemini: fast.url } })
  expect(restarted.status().interrupted).toBe(32)
  expect(existsSync(`${out}.inflight`)).toBe(false)
  expect(await (await completed(restarted.url, 99)).text()).toContain('candidates')
  const summary = await restarted.close()
  expect(summary.degraded).toEqual([])
  expect(existsSync(`${out}.inflight`)).toBe(false)

  const steps = stepsOf(out)
  const found = interrupted(out)
  expect(found.size).toBe(32)
  for (let i = 0; i < 24; i++) {
    expect(found.get(`streaming ${i}`)).toContain('after its answer had begun (status 200), which was cut')
  }
  for (let i = 0; i < 8; i++) expect(found.get(`waiting ${i}`)).toContain('before any answer had begun')
  // The system prompt the 8 waiting requests share is stored once, by hash, and they refer to it.
  const text = readFileSync(out, 'utf8')
  expect(text.split(SYSTEM).length - 1).toBe(1)
  // None of them holds an answer: the only responses are the 9 completed exchanges.
  expect(steps.filter((step) => step.kind === 'model.response')).toHaveLength(9)

  // Replay: every completed exchange answers as recorded; an interrupted one answers as the failure it was.
  const replay = await startGateway({ replay: out })
  for (let i = 0; i < 8; i++) expect(await (await completed(replay.url, i)).json()).toEqual(JSON.parse(texts[i] ?? ''))
  // (Its system prompt was noted by reference and is put back: the request matches whole.)
  const cut = await waitingRequest(replay.url, 3)
  expect(cut.status).toBe(502)
  expect(await cut.text()).toContain('interrupted')
  await replay.close()
})

it('recoverRecording (the CLI, on a killed listener) writes them without starting a listener, once', async () => {
  stalling.reset()
  silent.reset()
  const out = join(dir, 'recovered.rpk')
  await killedMidFlight(out)
  // Before recovery the journal holds only the completed exchanges.
  expect(interrupted(out).size).toBe(0)

  expect(recoverRecording(out)).toEqual({ interrupted: 32 })
  expect(existsSync(`${out}.inflight`)).toBe(false)
  expect(interrupted(out).size).toBe(32)
  expect(recoverRecording(out)).toEqual({ interrupted: 0 })
  expect(interrupted(out).size).toBe(32)
})

it('a listener that stops cleanly leaves no in-flight file, and nothing interrupted', async () => {
  const out = join(dir, 'clean.rpk')
  const gateway = await startGateway({ out, upstreams: { gemini: fast.url } })
  await Promise.all(Array.from({ length: 16 }, async (_, i) => (await completed(gateway.url, i)).text()))
  // Nothing in flight: the file is emptied as the last exchange ends.
  expect(existsSync(`${out}.inflight`)).toBe(true)
  await gateway.close()
  expect(existsSync(`${out}.inflight`)).toBe(false)
  const steps = stepsOf(out)
  expect(steps.filter((step) => step.kind === 'model.response')).toHaveLength(16)
  expect(steps.filter((step) => step.kind === 'error.event')).toHaveLength(0)
})

const request: HttpRequestData = {
  method: 'POST',
  url: 'https://api.openai.com/v1/chat/completions',
  headers: { 'content-type': 'application/json' },
  body: { json: { model: 'gpt-4o', messages: [{ role: 'user', content: 'a question of some length '.repeat(4) }] } },
}
const response: HttpResponseData = { status: 200, headers: {}, body: { json: { choices: [] } } }

it('the in-flight file stays small: emptied when idle, rewritten with the open exchanges, ended lines read as ended', () => {
  const path = join(dir, 'bounded.rpk.inflight')
  const faults: string[] = []
  const ledger = new InFlightLedger(path, (message) => faults.push(message))
  for (let i = 0; i < 3_000; i++) {
    const flight = ledger.begin('listen s 1', `x${i}`, i, request, new Set())
    flight.recorded = true
    ledger.end(flight)
  }
  // Recorded exchanges leave their lines until the file passes 256 KB with nothing in flight.
  expect(statSync(path).size).toBeLessThan(300 * 1024)

  const kept = ledger.begin('listen s 1', 'kept', 0, request, new Set())
  ledger.answered(kept, 200)
  for (let i = 0; i < 20_000; i++) {
    const flight = ledger.begin('listen s 1', `y${i}`, i, request, new Set())
    flight.recorded = true
    ledger.end(flight)
  }
  // Never idle: rewritten with what is open once past 4 MB.
  expect(statSync(path).size).toBeLessThan(4.5 * 1024 * 1024)
  expect(readInFlight(path).find((left) => left.correlationId === 'kept')).toMatchObject({ status: 200 })

  // An exchange that ends unrecorded (a write that failed, a client gone) is ended by a line of its own.
  const unrecorded = ledger.begin('listen s 1', 'unrecorded', 0, request, new Set())
  ledger.end(unrecorded)
  expect(readInFlight(path).some((left) => left.correlationId === 'unrecorded')).toBe(false)
  ledger.end(kept)
  ledger.close()
  expect(faults).toEqual([])
})

it('an exchange recorded into a rolled (numbered) file is not taken for interrupted; one open at the close is', () => {
  const out = join(dir, 'rolled.rpk')
  const recording = new GatewayRecording(out, { maxSize: 1 }, () => {})
  const at = performance.now()
  const first = recording.begin('s', request, at) as Flight
  recording.record('s', { request, response, startedAt: at, endedAt: at + 1, flight: first })
  recording.end(first)
  const open = recording.begin('s', request, at) as Flight
  const third = recording.begin('s', request, at) as Flight
  // Past maxSize: rolls to rolled.1.rpk before this write, and the in-flight notes keep the open exchanges only.
  recording.record('s', { request, response, startedAt: at, endedAt: at + 1, flight: third })
  recording.end(third)
  expect(existsSync(join(dir, 'rolled.1.rpk'))).toBe(true)
  expect(readInFlight(`${out}.inflight`).map((left) => left.correlationId)).toEqual(['x2', 'x3'])

  // Closed with one still open (cut by the close): written as interrupted; the recorded ones are left as they are.
  recording.close()
  expect(existsSync(`${out}.inflight`)).toBe(false)
  const now = runsOf(out).flat()
  expect(now.filter((step) => step.kind === 'error.event').map((step) => step.correlationId)).toEqual(['x2'])
  expect(now.filter((step) => step.kind === 'model.response').map((step) => step.correlationId)).toEqual(['x3'])
  const rolled = runsOf(join(dir, 'rolled.1.rpk')).flat()
  expect(rolled.map((step) => `${step.kind} ${step.correlationId}`)).toEqual(['model.request x1', 'model.response x1'])
  expect(open.correlationId).toBe('x2')
})
