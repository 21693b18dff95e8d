import { AsyncLocalStorage } from 'node:async_hooks'
import { setImmediate as tick } from 'node:timers/promises'
import { afterEach, expect, test } from 'vitest'
import { DrawTape, installDeterminism } from '../../src/determinism/index.js'

const storage = new AsyncLocalStorage<DrawTape>()
let release: (() => void) | undefined
afterEach(() => {
  release?.()
  release = undefined
})

/** An async flow that draws from every source between awaits, and keeps what it got. */
async function flow(steps: number, pauses: readonly number[]): Promise<(number | string)[]> {
  const got: (number | string)[] = []
  for (let i = 0; i < steps; i++) {
    got.push(Math.random(), Date.now(), crypto.randomUUID())
    // Different pauses per flow make the two interleave differently in record and in replay.
    for (let p = 0; p < (pauses[i % pauses.length] ?? 0); p++) await tick()
    // biome-ignore lint/complexity/useDateNow: the Date constructor is one of the sources under test
    got.push(new Date().getTime())
  }
  return got
}

test('concurrent captures each record and replay their own draws', async () => {
  release = installDeterminism(() => storage.getStore())
  const tapeA = new DrawTape('record')
  const tapeB = new DrawTape('record')
  const [gotA, gotB] = await Promise.all([
    storage.run(tapeA, () => flow(12, [0, 1, 3])),
    storage.run(tapeB, () => flow(12, [2, 0, 1])),
  ])
  expect(tapeA.drawn.map((draw) => draw.value)).toEqual(gotA)
  expect(tapeB.drawn.map((draw) => draw.value)).toEqual(gotB)

  // Replay with the other interleaving: each flow still gets exactly its own values back.
  const replayA = new DrawTape('replay', tapeA.drawn)
  const replayB = new DrawTape('replay', tapeB.drawn)
  const [againA, againB] = await Promise.all([
    storage.run(replayA, () => flow(12, [3, 0, 1])),
    storage.run(replayB, () => flow(12, [0, 2, 0])),
  ])
  expect(againA).toEqual(gotA)
  expect(againB).toEqual(gotB)
  expect(replayA.problems()).toBeUndefined()
  expect(replayB.problems()).toBeUndefined()
  // Draws outside both captures went to neither tape.
  Math.random()
  expect(replayA.drawn).toHaveLength(gotA.length)
})
