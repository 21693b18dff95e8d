/**
 * Own time measured alike in record and replay (the slowdown gate compares
 * them): a replayed answer's delivery is network time, a replayed connection
 * is reused like the live one, and blockNetwork's re-install of the
 * interceptor keeps the engine's listeners (a live response was lost, and
 * recorded as RPK_NO_RESPONSE, after it). Thread-meter and run-queue readings
 * are system calls: a strict replay of `fetch` takes only the readings that
 * time something (both are counted, not replaced).
 */
import net from 'node:net'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { type FakeProvider, startFakeProvider } from '../../../../test/utils/fake-provider.js'
import { runCapture } from '../../src/public/engine.js'
import { blockNetwork } from '../../src/public/node.js'

const reads = vi.hoisted(() => ({ meter: 0, queue: 0 }))
vi.mock('../../src/engine/thread-meter.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/engine/thread-meter.js')>()
  return {
    ...real,
    readMeter: () => {
      reads.meter++
      return real.readMeter()
    },
  }
})
vi.mock('../../src/engine/run-queue.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/engine/run-queue.js')>()
  return {
    ...real,
    runQueueMs: () => {
      reads.queue++
      return real.runQueueMs()
    },
  }
})

let fake: FakeProvider

beforeAll(async () => {
  fake = await startFakeProvider()
})

afterAll(async () => {
  await fake?.close()
})

async function fiveFetches(): Promise<number[]> {
  const seen: number[] = []
  for (let i = 0; i < 5; i++) {
    const response = await fetch(`${fake.url}/weather?city=c${i}`)
    seen.push(((await response.json()) as { tempC: number }).tempC)
  }
  return seen
}

function countConnects(): { count: () => number; restore: () => void } {
  const proto = net.Socket.prototype as unknown as { connect: (...args: unknown[]) => unknown }
  const original = proto.connect
  let count = 0
  proto.connect = function (this: unknown, ...args: unknown[]) {
    count++
    return original.apply(this, args)
  }
  const restore = (): void => {
    proto.connect = original
  }
  return { count: () => count, restore }
}

test('a strict replay reuses its connection like the recording did (a whole body is framed by its length)', async () => {
  const recorded = await runCapture(fiveFetches, { mode: 'record' })
  const connects = countConnects()
  try {
    const replayed = await runCapture(fiveFetches, { mode: 'strict', recording: recorded.run })
    expect(replayed.value).toEqual(recorded.value)
  } finally {
    connects.restore()
  }
  // One new connection at most (none when the recording's is still open), not one per request.
  expect(connects.count()).toBeLessThanOrEqual(1)
})

test('a replayed exchange lasts until its body has been delivered: recorded pacing is network time, not own time', async () => {
  const recorded = await runCapture(fiveFetches, { mode: 'record' })
  // Stretch each recorded answer into a stream with a 60 ms gap before its end.
  const run = structuredClone(recorded.run)
  for (const step of run.steps) {
    if (step.kind !== 'http.response' || !step.response.body) continue
    const text = JSON.stringify((step.response.body as { json: unknown }).json)
    step.response.headers['content-type'] = 'application/x-ndjson'
    step.response.stream = {
      format: 'chunks',
      completion: 'clean',
      events: [
        { atMs: 0, data: text.slice(0, 5) },
        { atMs: 60, data: text.slice(5) },
      ],
    }
    delete step.response.body
  }
  const replayed = await runCapture(fiveFetches, { mode: 'strict', recording: run, pacing: 'recorded' })
  expect(replayed.value).toEqual(recorded.value)
  const timing = replayed.run.timing
  expect(timing?.networkMs).toBeGreaterThanOrEqual(5 * 60 - 5)
  // Before, the 300 ms of replayed gaps counted as the code's own time.
  expect(timing?.ownMs).toBeLessThan(150)
})

test('a live response is recorded after blockNetwork was switched on and off with interception installed', async () => {
  await runCapture(fiveFetches, { mode: 'record' })
  const unblock = blockNetwork()
  unblock()
  const recorded = await runCapture(fiveFetches, { mode: 'record' })
  const errors = recorded.run.steps.filter((step) => step.kind === 'error.event')
  expect(errors).toEqual([])
  expect(recorded.run.steps.filter((step) => step.kind === 'http.response')).toHaveLength(5)
})

/** Five POSTs whose bodies the client streams out over 80 ms each (`duplex: 'half'`). */
async function fiveSlowUploads(): Promise<number[]> {
  const seen: number[] = []
  for (let i = 0; i < 5; i++) {
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((resolve) => setTimeout(resolve, 80))
        controller.enqueue(new TextEncoder().encode(`{"city":"c${i}"}`))
        controller.close()
      },
    })
    const init = { method: 'POST', body, duplex: 'half', headers: { 'content-type': 'application/json' } }
    const response = await fetch(`${fake.url}/weather?city=c${i}`, init as RequestInit)
    seen.push(((await response.json()) as { tempC: number }).tempC)
  }
  return seen
}

test('a replayed fetch waits from its dispatch, as the live one does: sending the body is network time in both', async () => {
  const recorded = await runCapture(fiveSlowUploads, { mode: 'record' })
  const replayed = await runCapture(fiveSlowUploads, { mode: 'strict', recording: recorded.run })
  expect(replayed.problems).toEqual([])
  expect(replayed.value).toEqual(recorded.value)
  // In both, the 400 ms spent streaming the bodies out fall inside the client's waits.
  expect(recorded.run.timing?.networkMs).toBeGreaterThanOrEqual(5 * 80 - 5)
  expect(replayed.run.timing?.networkMs).toBeGreaterThanOrEqual(5 * 80 - 5)
  // Before, a replayed fetch's wait began only once its body was read: the 400 ms were own time.
  expect(replayed.run.timing?.ownMs).toBeLessThan(200)
})

test('a strict replay of fetch reads the run queue twice a request and the thread meter twice a run, and still times own time', async () => {
  const recorded = await runCapture(fiveFetches, { mode: 'record' })
  const metered = typeof (process as { threadCpuUsage?: unknown }).threadCpuUsage === 'function'
  reads.meter = 0
  reads.queue = 0
  const replayed = await runCapture(fiveFetches, { mode: 'strict', recording: recorded.run })
  expect(replayed.problems).toEqual([])
  expect(replayed.value).toEqual(recorded.value)
  // The thread meter at the capture's start and end only (runTiming): read per request, its CPU
  // time moved in 4 ms ticks (seven readings a request at first, four after the exchange's went).
  expect(reads.meter).toBeLessThanOrEqual(2)
  // The run queue at each request's client wait (begin, end); none for the exchange inside the wait,
  // whose interval runTiming leaves out, nor at the run's ends with a meter and every wait closed.
  expect(reads.queue).toBeLessThanOrEqual(metered ? 2 * 5 : 2 + 2 * 5)
  const timing = replayed.run.timing
  expect(timing?.networkMs).toBeGreaterThan(0)
  expect(timing?.ownMs).toBeGreaterThanOrEqual(0)
  expect(timing?.ownMs).toBeLessThanOrEqual((timing?.totalMs ?? 0) - (timing?.networkMs ?? 0))
  if (metered) expect(reads.meter).toBe(2)
})
