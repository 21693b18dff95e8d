/**
 * The contract every RecordingStore keeps, written once and run for each store
 * (Polly's `persisterTests()` is the model): put, read, append, save, rewrite
 * and replace; a secret never reaches the disk; a process killed between two
 * appends (kill -9, a child process) loses no completed exchange; a torn last
 * write is recovered; concurrent writers (child processes) all keep their writes.
 *
 * Child processes load core's build (`npm run build`), as a second process of a
 * user's would.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { readRpkFile } from '../../../src/artifact/read.js'
import type { Run, Step } from '../../../src/artifact/types.js'
import { buildRpk } from '../../../src/artifact/write.js'
import type { RecordingStore } from '../../../src/store/port.js'
import { sampleRun } from '../../fixtures/sample-runs.js'

export interface StoreUnderTest {
  /** The store's class as core exports it: child processes construct it from the build. */
  className: 'RpkStore' | 'JournalStore'
  create(path: string): RecordingStore
  /** Leave the store's last write torn, as a writer killed in the middle of it would. */
  tear(path: string): void
}

const DIST = new URL('../../../dist/esm/index.js', import.meta.url).href

/** One completed exchange: a model request and its response, numbered `i`, correlated as `<tag><i>`. */
export function exchange(i: number, tag = 'x'): Step[] {
  const [request, response] = sampleRun().steps as [Step, Step]
  return [
    { ...request, seq: 2 * i, correlationId: `${tag}${i}` },
    { ...response, seq: 2 * i + 1, correlationId: `${tag}${i}` },
  ] as Step[]
}

/** The correlation ids of a run's exchanges, in order. */
function exchangeIds(run: Run | undefined): string[] {
  return (run?.steps ?? []).filter((_, i) => i % 2 === 0).map((step) => step.correlationId)
}

/**
 * A child process appending `count` exchanges to `key` (tagged `tag`), one
 * line `<i>` on stdout after each append returned.
 */
function appender(subject: StoreUnderTest, rpk: string, key: string, tag: string, count: number): ChildProcess {
  const code = `
    const { [process.env.STORE]: Store } = await import(process.env.DIST)
    const store = new Store(process.env.RPK, { onWarning: () => {} })
    const template = JSON.parse(process.env.TEMPLATE)
    for (let i = 0; i < Number(process.env.COUNT); i++) {
      const steps = template.map((step, j) => ({ ...step, seq: 2 * i + j, correlationId: process.env.TAG + i }))
      store.append(process.env.KEY, steps)
      process.stdout.write(i + '\\n')
    }`
  const env = {
    ...process.env,
    STORE: subject.className,
    DIST,
    RPK: rpk,
    KEY: key,
    TAG: tag,
    COUNT: String(count),
    TEMPLATE: JSON.stringify(exchange(0)),
  }
  return spawn(process.execPath, ['--input-type=module', '-e', code], { env, stdio: ['ignore', 'pipe', 'pipe'] })
}

function exited(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = ''
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk)
  })
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stderr })))
}

export function storeContract(subject: StoreUnderTest): void {
  describe(`${subject.className}: the store contract`, () => {
    let dir: string
    let rpk: string
    let children: ChildProcess[] = []
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'rpk-store-'))
      rpk = join(dir, 'agent.rpk')
    })
    afterEach(() => {
      for (const child of children) child.kill('SIGKILL')
      children = []
      rmSync(dir, { recursive: true, force: true })
    })

    test('an empty store reads as nothing, and saving it writes nothing', () => {
      const store = subject.create(rpk)
      expect(store.path).toBe(rpk)
      expect(store.read()).toBeUndefined()
      expect(store.save()).toEqual({ written: false, deleted: false })
      expect(readdirSync(dir)).toEqual([])
    })

    test('put stores a whole run under its key, replacing the one there; other runs are kept', () => {
      const store = subject.create(rpk)
      store.put('a 1', sampleRun('a', 1))
      store.put('b 1', sampleRun('b', 1))
      store.put('a 1', { ...sampleRun('a', 1), outcome: { type: 'return', value: 'new' } })
      const read = store.read()
      expect(Object.keys(read?.runs ?? {}).sort()).toEqual(['a 1', 'b 1'])
      expect(read?.runs['a 1']?.outcome).toEqual({ type: 'return', value: 'new' })
      expect(read?.runs['b 1']).toEqual(sampleRun('b', 1))
    })

    test('append adds exchanges in order, starting a run from its key', () => {
      const store = subject.create(rpk)
      for (let i = 0; i < 3; i++) store.append('long session 2', exchange(i))
      const run = store.read()?.runs['long session 2']
      expect(run).toMatchObject({ name: 'long session', index: 2, outcome: { type: 'return' } })
      expect(run?.steps).toEqual([...exchange(0), ...exchange(1), ...exchange(2)])
    })

    test('save leaves a .rpk that the plain reader loads, with every write, and nothing else beside it', () => {
      const store = subject.create(rpk)
      store.put('a 1', sampleRun('a', 1))
      store.append('a 1', exchange(5))
      store.append('b 1', exchange(0))
      store.save()
      const file = readRpkFile(rpk)
      expect(file?.runs['a 1']?.steps).toEqual([...sampleRun('a', 1).steps, ...exchange(5)])
      expect(file?.runs['b 1']?.steps).toEqual(exchange(0))
      expect(readdirSync(dir)).toEqual(['agent.rpk'])
      // A second store on the same file reads the same.
      expect(subject.create(rpk).read()?.runs).toEqual(file?.runs)
    })

    test('rewrite decides from the stored state under the lock: write, keep or delete', () => {
      const store = subject.create(rpk)
      store.append('a 1', exchange(0))
      const seen: unknown[] = []
      const kept = store.rewrite((stored) => {
        seen.push(Object.keys(stored.file?.runs ?? {}))
        return undefined
      })
      expect(kept).toEqual({ written: false, deleted: false })
      expect(seen).toEqual([['a 1']])
      const written = store.rewrite((stored) => ({ runs: { ...stored.file?.runs, 'b 1': sampleRun('b', 1) } }))
      expect(written).toEqual({ written: true, deleted: false })
      expect(Object.keys(readRpkFile(rpk)?.runs ?? {}).sort()).toEqual(['a 1', 'b 1'])
      expect(store.rewrite(() => null)).toEqual({ written: false, deleted: true })
      expect(existsSync(rpk)).toBe(false)
    })

    test('replace writes a whole file as given, over one that does not load', () => {
      writeFileSync(rpk, '{ not json')
      const store = subject.create(rpk)
      expect(() => store.read()).toThrowError(expect.objectContaining({ code: 'RPK_INVALID_JSON' }))
      const rpkFile = buildRpk({ runs: { 'a 1': sampleRun('a', 1) } })
      store.replace(rpkFile)
      expect(readRpkFile(rpk)?.runs).toEqual(rpkFile.runs)
    })

    test('a secret never reaches the disk', () => {
      const store = subject.create(rpk)
      const secret = `sk-proj-${'A1b2C3d4'.repeat(6)}`
      const [request, response] = exchange(0) as [Step & { kind: 'model.request' }, Step]
      const leaking = { ...request, request: { ...request.request, body: { json: { note: secret } } } }
      try {
        store.append('a 1', [leaking, response])
      } catch (error) {
        expect(error).toMatchObject({ code: 'RPK_SECRET_DETECTED' })
      }
      store.save()
      for (const name of readdirSync(dir)) expect(readFileSync(join(dir, name), 'utf8')).not.toContain(secret)
    })

    test('a symlink in place of the file is refused, and nothing is written through it', () => {
      const target = join(dir, 'elsewhere.rpk')
      writeFileSync(target, '')
      symlinkSync(target, rpk)
      const store = subject.create(rpk)
      expect(() => store.assertWritable()).toThrowError(expect.objectContaining({ code: 'RPK_WRITE_REFUSED' }))
      expect(() => store.append('a 1', exchange(0))).toThrowError(
        expect.objectContaining({ code: 'RPK_WRITE_REFUSED' }),
      )
      expect(readFileSync(target, 'utf8')).toBe('')
    })

    test('a write the file system refuses is RPK_WRITE_FAILED naming the file', () => {
      // A file where the recording's folder should be: refused whoever runs the test (root included).
      writeFileSync(join(dir, 'not-a-folder'), '')
      const store = subject.create(join(dir, 'not-a-folder', 'agent.rpk'))
      for (const write of [() => store.append('a 1', exchange(0)), () => store.put('a 1', sampleRun('a', 1))]) {
        expect(write).toThrowError(expect.objectContaining({ code: 'RPK_WRITE_FAILED' }))
        expect(write).toThrowError(/not-a-folder.*Failed to write .*(ENOTDIR|EEXIST)/)
      }
    })

    test('kill -9 between appends: every completed exchange is readable, and the store saves', async () => {
      const child = appender(subject, rpk, 'long 1', 'k', 100_000)
      children.push(child)
      const done = exited(child)
      let acknowledged = 0
      await new Promise<void>((resolve) => {
        child.stdout?.on('data', (chunk) => {
          acknowledged += String(chunk).split('\n').length - 1
          if (acknowledged >= 25) resolve()
        })
      })
      child.kill('SIGKILL')
      await done
      const ids = exchangeIds(subject.create(rpk).read()?.runs['long 1'])
      // Every acknowledged exchange is there, whole and in order; at most the one in flight besides.
      expect(ids.length).toBeGreaterThanOrEqual(acknowledged)
      expect(ids.length).toBeLessThanOrEqual(acknowledged + 1)
      expect(ids).toEqual(ids.map((_, i) => `k${i}`))
      const store = subject.create(rpk)
      store.append('long 1', exchange(ids.length, 'k'))
      store.save()
      expect(exchangeIds(readRpkFile(rpk)?.runs['long 1'])).toHaveLength(ids.length + 1)
    })

    test('a torn last write is recovered: the completed exchanges are kept and writing goes on', () => {
      const store = subject.create(rpk)
      for (let i = 0; i < 3; i++) store.append('a 1', exchange(i))
      subject.tear(rpk)
      const reopened = subject.create(rpk)
      expect(reopened.read()?.runs['a 1']?.steps).toHaveLength(6)
      reopened.append('a 1', exchange(3))
      reopened.save()
      expect(readRpkFile(rpk)?.runs['a 1']?.steps).toEqual([0, 1, 2, 3].flatMap((i) => exchange(i)))
    })

    test('concurrent writers (child processes) all keep their writes', { timeout: 60_000 }, async () => {
      const writers = [0, 1, 2, 3].map((n) =>
        appender(subject, rpk, n % 2 === 0 ? 'shared 1' : `own ${n}`, `w${n}-`, 20),
      )
      children.push(...writers)
      const results = await Promise.all(writers.map(exited))
      for (const result of results) expect(result).toEqual({ code: 0, stderr: '' })
      const runs = subject.create(rpk).read()?.runs ?? {}
      expect(Object.keys(runs).sort()).toEqual(['own 1', 'own 3', 'shared 1'])
      expect(exchangeIds(runs['own 1'])).toEqual(Array.from({ length: 20 }, (_, i) => `w1-${i}`))
      const shared = exchangeIds(runs['shared 1'])
      expect(shared).toHaveLength(40)
      // Each writer's exchanges keep their order among the other writer's.
      for (const tag of ['w0-', 'w2-']) {
        expect(shared.filter((id) => id.startsWith(tag))).toEqual(Array.from({ length: 20 }, (_, i) => `${tag}${i}`))
      }
    })
  })
}
