/**
 * Code that never reads a large live body it asked for, inside a record
 * capture: once the capture ends and interception is disabled, the
 * interceptor closes the idle mock socket, and undici must not be told the
 * response ends there (it asserted on its paused parser and crashed the
 * process). In a file of its own: earlier captures in the process hid it.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type FakeProvider, startFakeProvider } from '../../../../test/utils/fake-provider.js'
import { LINGER_MS } from '../../src/engine/linger.js'
import { runCapture } from '../../src/public/engine.js'

let fake: FakeProvider
beforeAll(async () => {
  fake = await startFakeProvider()
})
afterAll(() => fake.close())

test('a large live body the code never reads does not crash the process once the capture ends', async () => {
  const crashes: unknown[] = []
  const onCrash = (error: unknown) => crashes.push(error)
  process.on('uncaughtException', onCrash)
  try {
    const result = await runCapture(async () => (await fetch(`${fake.url}/bytes?n=262144`)).status, {
      mode: 'record',
    })
    expect(result.value).toBe(200)
    // Interception now stays installed after captures (late requests, late.ts), so the idle-removal path that
    // closed the mock socket no longer runs; waiting past the old linger keeps the guard on this process.
    await new Promise((resolve) => setTimeout(resolve, LINGER_MS + 200))
  } finally {
    process.off('uncaughtException', onCrash)
  }
  expect(crashes).toEqual([])
})
