/**
 * The gateway's recording queue (gateway/record-queue.ts): jobs run in order,
 * one that throws (or never settles) does not stop the next, and a long job
 * gives the event loop a turn before the next one (what keeps other streams'
 * chunks flowing).
 */
import { expect, it } from 'vitest'
import { RecordQueue } from '../../src/gateway/record-queue.js'

function busy(ms: number): void {
  const until = performance.now() + ms
  while (performance.now() < until) {
    // Stands for a recording's synchronous work.
  }
}

it('runs jobs in order, and a job that throws neither rejects nor stops the next', async () => {
  const queue = new RecordQueue()
  const order: string[] = []
  const runs = [
    queue.run(() => order.push('a')),
    queue.run(() => {
      throw new Error('a recording fault')
    }),
    queue.run(async () => {
      await Promise.resolve()
      order.push('c')
    }),
  ]
  await expect(Promise.all(runs)).resolves.toBeDefined()
  expect(order).toEqual(['a', 'c'])
  expect(queue.pending).toBe(0)
})

it('gives the event loop a turn between two long jobs', async () => {
  const queue = new RecordQueue()
  const order: string[] = []
  const first = queue.run(() => {
    busy(3)
    order.push('first job')
    // Stands for I/O that became ready while the job ran.
    setImmediate(() => order.push('other work'))
  })
  const second = queue.run(() => {
    busy(3)
    order.push('second job')
  })
  await Promise.all([first, second])
  expect(order).toEqual(['first job', 'other work', 'second job'])
})

it('a job that never settles holds the next one for a while, not for ever', async () => {
  const queue = new RecordQueue(20)
  const order: string[] = []
  void queue.run(() => new Promise(() => order.push('stuck job')))
  await queue.run(() => order.push('next job'))
  expect(order).toEqual(['stuck job', 'next job'])
})
