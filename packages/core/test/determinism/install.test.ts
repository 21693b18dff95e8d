import * as nodeCrypto from 'node:crypto'
import { afterEach, describe, expect, test } from 'vitest'
import { DrawTape, installDeterminism } from '../../src/determinism/index.js'

const originals = {
  Date: globalThis.Date,
  now: Date.now,
  parse: Date.parse,
  UTC: Date.UTC,
  random: Math.random,
  randomUUID: crypto.randomUUID,
  getRandomValues: crypto.getRandomValues,
  nodeRandomUUID: nodeCrypto.randomUUID,
  nodeGetRandomValues: nodeCrypto.getRandomValues,
}

function snapshot() {
  return {
    Date: globalThis.Date,
    now: Date.now,
    parse: Date.parse,
    UTC: Date.UTC,
    random: Math.random,
    randomUUID: crypto.randomUUID,
    getRandomValues: crypto.getRandomValues,
    nodeRandomUUID: nodeCrypto.randomUUID,
    nodeGetRandomValues: nodeCrypto.getRandomValues,
  }
}

const releases: (() => void)[] = []
afterEach(() => {
  for (const release of releases.splice(0)) release()
})

describe('install and uninstall', () => {
  test('patches the globals while installed and restores the exact originals', () => {
    const ownNames = Object.getOwnPropertyNames(crypto)
    const dateDescriptor = Object.getOwnPropertyDescriptor(globalThis, 'Date')
    const release = installDeterminism(() => undefined)
    releases.push(release)
    const patched = snapshot()
    expect(patched.Date).not.toBe(originals.Date)
    expect(patched.now).not.toBe(originals.now)
    expect(patched.random).not.toBe(originals.random)
    expect(patched.randomUUID).not.toBe(originals.randomUUID)
    expect(patched.getRandomValues).not.toBe(originals.getRandomValues)
    expect(patched.nodeRandomUUID).not.toBe(originals.nodeRandomUUID)
    // A fixed getter in Node: not replaced, but it calls Web Crypto's method, which is (see draw-tape.test.ts).
    expect(patched.nodeGetRandomValues).toBe(originals.nodeGetRandomValues)
    release()
    expect(snapshot()).toEqual(originals)
    for (const [name, value] of Object.entries(snapshot()))
      expect(value, name).toBe(originals[name as keyof typeof originals])
    expect(Object.getOwnPropertyNames(crypto)).toEqual(ownNames)
    expect(Object.getOwnPropertyDescriptor(globalThis, 'Date')).toEqual(dateDescriptor)
  })

  test('is reference-counted: a second install adds a user, the last release restores', () => {
    const first = installDeterminism(() => undefined)
    const patchedDate = globalThis.Date
    const second = installDeterminism(() => undefined)
    releases.push(first, second)
    expect(globalThis.Date).toBe(patchedDate)
    first()
    first() // releasing twice removes one user only
    expect(globalThis.Date).toBe(patchedDate)
    second()
    expect(snapshot()).toEqual(originals)
    for (const [name, value] of Object.entries(snapshot()))
      expect(value, name).toBe(originals[name as keyof typeof originals])
  })

  test('every user is asked for a tape: the first that has one gets the draw', () => {
    const tape = new DrawTape('record')
    let active = false
    releases.push(installDeterminism(() => undefined))
    releases.push(installDeterminism(() => (active ? tape : undefined)))
    active = true
    Math.random()
    active = false
    Math.random()
    expect(tape.drawn.map((draw) => draw.source)).toEqual(['Math.random'])
  })
})

describe('outside a capture', () => {
  test('everything behaves as the originals', () => {
    releases.push(installDeterminism(() => undefined))
    expect(typeof Date.now()).toBe('number')
    expect(typeof Date()).toBe('string')
    expect(new Date(0).toISOString()).toBe('1970-01-01T00:00:00.000Z')
    expect(new Date(2024, 1, 29, 12).getDate()).toBe(29)
    expect(new Date('2020-01-01T00:00:00Z').getTime()).toBe(1_577_836_800_000)
    expect(Number.isNaN(new Date(undefined as unknown as number).getTime())).toBe(true)
    const random = Math.random()
    expect(random >= 0 && random < 1).toBe(true)
    expect(crypto.randomUUID()).not.toBe(crypto.randomUUID())
    // Errors are the originals' own.
    expect(() => crypto.getRandomValues(new Float32Array(2) as unknown as Uint8Array<ArrayBuffer>)).toThrowError(
      /TypeMismatch|not of an integer type|must be/i,
    )
    expect(() => crypto.getRandomValues(new Uint8Array(65_537))).toThrowError(/65,?536|quota/i)
    const detached = crypto.randomUUID
    expect(() => detached.call({})).toThrowError()
  })
})

describe('Date stays a working constructor', () => {
  test('instances, statics, subclasses and instanceof', () => {
    const tape = new DrawTape('replay', [
      { source: 'Date', value: 1_700_000_000_000 },
      { source: 'Date', value: 1_700_000_000_001 },
      { source: 'Date', value: 1_700_000_000_002 },
    ])
    let active = true
    releases.push(installDeterminism(() => (active ? tape : undefined)))
    const date = new Date()
    expect(date.getTime()).toBe(1_700_000_000_000)
    expect(date).toBeInstanceOf(Date)
    expect(date).toBeInstanceOf(originals.Date)
    expect(new originals.Date(5)).toBeInstanceOf(Date)
    expect(Object.prototype.toString.call(date)).toBe('[object Date]')
    expect(Date.prototype).toBe(originals.Date.prototype)
    expect(Date.UTC).toBe(originals.UTC)
    expect(Date.parse).toBe(originals.parse)
    expect(Date.UTC(2020, 0, 1)).toBe(1_577_836_800_000)
    expect(Date.name).toBe('Date')
    expect(Date.length).toBe(7)
    class Stamp extends Date {
      label(): string {
        return `at ${this.getTime()}`
      }
    }
    const stamp = new Stamp()
    expect(stamp.label()).toBe('at 1700000000001')
    expect(stamp).toBeInstanceOf(Stamp)
    expect(stamp).toBeInstanceOf(Date)
    expect(Date()).toBe(new originals.Date(1_700_000_000_002).toString())
    // With arguments: never a draw.
    expect(new Date(1).getTime()).toBe(1)
    active = false
    expect(tape.problems()).toBeUndefined()
  })

  test('Date.now is drawn through a Date reference kept from before the install', () => {
    const Kept = globalThis.Date
    const tape = new DrawTape('replay', [{ source: 'Date.now', value: 42 }])
    let active = true
    releases.push(installDeterminism(() => (active ? tape : undefined)))
    const now = Kept.now()
    active = false
    expect(now).toBe(42)
  })
})
