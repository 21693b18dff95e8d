import { getRandomValues as nodeGetRandomValues, randomUUID as nodeRandomUUID } from 'node:crypto'
import { afterEach, describe, expect, test } from 'vitest'
import type { DrawnValue } from '../../src/artifact/types.js'
import { DrawTape, installDeterminism } from '../../src/determinism/index.js'

let release: (() => void) | undefined
let current: DrawTape | undefined

/** Install with a tape switched by the test (a capture would switch it per async context). */
function install(): void {
  release = installDeterminism(() => current)
}

function run<T>(tape: DrawTape, fn: () => T): T {
  current = tape
  try {
    return fn()
  } finally {
    current = undefined
  }
}

afterEach(() => {
  release?.()
  release = undefined
  current = undefined
})

/** One draw from each source, as code under test would make them. */
function drawAll() {
  const bytes = new Uint8Array(8)
  crypto.getRandomValues(bytes)
  const nodeBytes = new Uint32Array(2)
  nodeGetRandomValues(nodeBytes)
  return {
    now: Date.now(),
    date: new Date().toISOString(),
    dateString: Date(),
    random: Math.random(),
    uuid: crypto.randomUUID(),
    nodeUuid: nodeRandomUUID(),
    bytes: [...bytes],
    nodeBytes: [...nodeBytes],
  }
}

describe('record and replay', () => {
  test('replay hands back every recorded value, in order, for each source', () => {
    install()
    const recording = new DrawTape('record')
    const recorded = run(recording, drawAll)
    expect(recording.drawn.map((draw) => draw.source)).toEqual([
      'crypto.getRandomValues',
      'crypto.getRandomValues',
      'Date.now',
      'Date',
      'Date',
      'Math.random',
      'crypto.randomUUID',
      'crypto.randomUUID',
    ])
    expect(recording.problems()).toBeUndefined()

    const stored = JSON.parse(JSON.stringify(recording.drawn)) as DrawnValue[]
    const replay = new DrawTape('replay', stored)
    const replayed = run(replay, drawAll)
    expect(replayed).toEqual(recorded)
    expect(replay.drawn).toEqual(recording.drawn)
    expect(replay.problems()).toBeUndefined()
  })

  test('values are stored as JSON: numbers, UUID strings and base64 bytes', () => {
    install()
    const tape = new DrawTape('record')
    const bytes = new Uint16Array([0, 0])
    run(tape, () => {
      Date.now()
      crypto.randomUUID()
      crypto.getRandomValues(bytes)
    })
    const [now, uuid, random] = tape.drawn
    expect(typeof now?.value).toBe('number')
    expect(uuid?.value).toMatch(/^[0-9a-f-]{36}$/)
    expect(Buffer.from(random?.value as string, 'base64')).toEqual(Buffer.from(bytes.buffer))
  })

  test('replayed bytes fill the caller view of a larger buffer only', () => {
    install()
    const replay = new DrawTape('replay', [
      { source: 'crypto.getRandomValues', value: Buffer.from([1, 2, 3]).toString('base64') },
    ])
    const buffer = new Uint8Array([9, 9, 9, 9, 9])
    const view = new Uint8Array(buffer.buffer, 1, 3)
    expect(run(replay, () => crypto.getRandomValues(view))).toBe(view)
    expect([...buffer]).toEqual([9, 1, 2, 3, 9])
  })
})

describe('problems()', () => {
  const recorded: DrawnValue[] = [
    { source: 'Date.now', value: 1000 },
    { source: 'Math.random', value: 0.25 },
  ]

  test('is undefined when recording', () => {
    install()
    const tape = new DrawTape('record')
    run(tape, () => Math.random())
    expect(tape.problems()).toBeUndefined()
  })

  test('reports extra draws, which get real values past the recording', () => {
    install()
    const tape = new DrawTape('replay', recorded)
    const values = run(tape, () => [Date.now(), Math.random(), Math.random()])
    expect(values.slice(0, 2)).toEqual([1000, 0.25])
    expect(values[2]).not.toBe(0.25)
    expect(tape.problems()).toEqual({ expected: 2, actual: 3, mismatched: 0 })
    expect(tape.drawn).toHaveLength(3)
  })

  test('reports missing draws', () => {
    install()
    const tape = new DrawTape('replay', recorded)
    expect(run(tape, () => Date.now())).toBe(1000)
    expect(tape.problems()).toEqual({ expected: 2, actual: 1, mismatched: 0 })
  })

  test('reports draws from a different source, which get real values without consuming the recording', () => {
    install()
    const tape = new DrawTape('replay', recorded)
    const [uuid, now, random] = run(tape, () => [crypto.randomUUID(), Date.now(), Math.random()])
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/)
    expect([now, random]).toEqual([1000, 0.25])
    expect(tape.problems()).toEqual({ expected: 2, actual: 3, mismatched: 1 })
  })

  test('a recorded value that does not fit (byte count, type) is skipped and counted', () => {
    install()
    const tape = new DrawTape('replay', [
      { source: 'crypto.getRandomValues', value: Buffer.from([1, 2]).toString('base64') },
      { source: 'Date.now', value: 'not a number' },
    ])
    const bytes = new Uint8Array(4)
    const now = run(tape, () => {
      crypto.getRandomValues(bytes)
      return Date.now()
    })
    expect(typeof now).toBe('number')
    expect(tape.problems()).toEqual({ expected: 2, actual: 2, mismatched: 2 })
  })

  test('DrawTape works without any patch, through next()', () => {
    const tape = new DrawTape('replay', [{ source: 'Math.random', value: 0.5 }])
    expect(
      tape.next(
        'Math.random',
        () => 0.9,
        () => true,
      ),
    ).toBe(0.5)
    expect(
      tape.next(
        'Math.random',
        () => 0.9,
        () => true,
      ),
    ).toBe(0.9)
    expect(tape.problems()).toEqual({ expected: 1, actual: 2, mismatched: 0 })
  })
})
