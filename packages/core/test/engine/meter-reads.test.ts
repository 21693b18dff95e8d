/**
 * A thread-meter reading is a system call (`process.threadCpuUsage`), and a
 * strict replay of `fetch` took seven a request: the capture's two, the
 * client wait's two, and three for an exchange that the client wait already
 * covers, whose readings runTiming never uses. Only the four that time
 * something are taken now, and own time comes out the same.
 */
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { type FakeProvider, startFakeProvider } from '../../../../test/utils/fake-provider.js'

const reads = vi.hoisted(() => ({ count: 0 }))
vi.mock('../../src/engine/thread-meter.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/engine/thread-meter.js')>()
  return {
    ...real,
    readMeter: () => {
      reads.count++
      return real.readMeter()
    },
  }
})

const { runCapture } = await import('../../src/public/engine.js')

let fake: FakeProvider

beforeAll(async () => {
  fake = await startFakeProvider()
})

afterAll(async () => {
  await fake?.close()
})

async function threeFetches(): Promise<number[]> {
  const seen: number[] = []
  for (let i = 0; i < 3; i++) {
    const response = await fetch(`${fake.url}/weather?city=m${i}`)
    seen.push(((await response.json()) as { tempC: number }).tempC)
  }
  return seen
}

test('a strict replay of fetch reads the thread meter four times a request at most, and still times own time', async () => {
  const recorded = await runCapture(threeFetches, { mode: 'record' })
  const metered = typeof (process as { threadCpuUsage?: unknown }).threadCpuUsage === 'function'
  reads.count = 0
  const replayed = await runCapture(threeFetches, { mode: 'strict', recording: recorded.run })
  expect(replayed.problems).toEqual([])
  expect(replayed.value).toEqual(recorded.value)
  // The capture's start and end, then each request's client wait (begin, end); no reading for the
  // exchange inside the wait.
  expect(reads.count).toBeLessThanOrEqual(2 + 2 * 3)
  const timing = replayed.run.timing
  expect(timing?.networkMs).toBeGreaterThan(0)
  expect(timing?.ownMs).toBeGreaterThanOrEqual(0)
  expect(timing?.ownMs).toBeLessThanOrEqual((timing?.totalMs ?? 0) - (timing?.networkMs ?? 0))
  if (metered) expect(reads.count).toBeGreaterThanOrEqual(2)
})
