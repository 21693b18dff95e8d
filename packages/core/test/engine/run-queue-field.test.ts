/**
 * The run-queue reading takes `/proc/thread-self/schedstat`'s second field
 * (nanoseconds spent runnable on a run queue) straight from the bytes read.
 */
import fc from 'fast-check'
import { expect, test } from 'vitest'
import { runQueueMs, secondField } from '../../src/engine/run-queue.js'

const bytes = (text: string) => Buffer.from(text, 'latin1')

test('the second field of a schedstat line, and undefined for anything else', () => {
  expect(secondField(bytes('80100231 12345678 42\n'), 21)).toBe(12345678)
  expect(secondField(bytes('1 0 0\n'), 6)).toBe(0)
  expect(secondField(bytes('123456\n'), 7)).toBeUndefined()
  expect(secondField(bytes('1 x 2\n'), 6)).toBeUndefined()
  // Only the bytes read count: a longer line left in the buffer from before is not read past `size`.
  expect(secondField(bytes('1 23456 7\n'), 4)).toBe(23)
  expect(secondField(bytes('12345 678'), 3)).toBeUndefined()
})

test('the same number as splitting the text, for any three counters', () => {
  const counter = fc.bigInt({ min: 0n, max: 2n ** 53n - 1n })
  fc.assert(
    fc.property(counter, counter, counter, (a, b, c) => {
      const line = `${a} ${b} ${c}\n`
      expect(secondField(bytes(line), line.length)).toBe(Number(line.split(' ')[1]))
    }),
  )
})

test('a reading in ms that never goes back on Linux; none elsewhere', () => {
  const first = runQueueMs()
  const second = runQueueMs()
  if (process.platform !== 'linux') {
    expect(first).toBeUndefined()
    return
  }
  expect(typeof first).toBe('number')
  expect(second).toBeGreaterThanOrEqual(first as number)
})
