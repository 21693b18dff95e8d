/**
 * The lock on a `.rpk` and the merge under it: a stale lock (dead owner, too
 * old, never written) is taken over, a live one is waited for or fails with
 * RPK_LOCKED naming its owner, and two writers of one file both keep their runs.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { readRpkFile } from '../../src/artifact/read.js'
import { writeRpkFile } from '../../src/artifact/write.js'
import { lockPathFor, withFileLock } from '../../src/store/file-lock.js'
import { ReplayFile } from '../../src/store/replay-file.js'
import { rpkPathFor } from '../../src/store/rpk-path.js'
import { sampleRun } from '../fixtures/sample-runs.js'

let dir: string
let rpk: string
let children: ChildProcess[] = []
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-lock-'))
  rpk = join(dir, 'agent.test.ts.rpk')
})
afterEach(() => {
  for (const child of children) child.kill('SIGKILL')
  children = []
  rmSync(dir, { recursive: true, force: true })
})

/** The pid of a process that has exited: no process runs under it now. */
function deadPid(): number {
  const result = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'])
  return Number(result.stdout.toString())
}

/** A live process; `script` runs in it with LOCK set to the lock path. */
function liveProcess(script = 'setTimeout(() => {}, 60_000)'): ChildProcess {
  const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, LOCK: lockPathFor(rpk) } })
  children.push(child)
  return child
}

function writeLock(owner: { pid: number; host?: string; createdAt?: number; session?: boolean }): void {
  const lock = { host: hostname(), createdAt: Date.now(), token: 'theirs', ...owner }
  writeFileSync(lockPathFor(rpk), JSON.stringify(lock))
}

describe('withFileLock', () => {
  test('creates <file>.lock while held and removes it after', () => {
    const seen = withFileLock(rpk, () => JSON.parse(readFileSync(`${rpk}.lock`, 'utf8')))
    expect(seen).toMatchObject({ pid: process.pid, host: hostname() })
    expect(existsSync(`${rpk}.lock`)).toBe(false)
  })

  test('a lock left by a dead process is taken over at once', () => {
    writeLock({ pid: deadPid() })
    expect(withFileLock(rpk, () => 'ran', { timeoutMs: 0 })).toBe('ran')
    expect(existsSync(lockPathFor(rpk))).toBe(false)
  })

  // A killed listener's lock: the listener is a zombie until its parent (init, or a container's PID 1) reaps it.
  test.runIf(process.platform === 'linux')(
    'a listener lock whose owner has exited but is not reaped yet (a zombie) is taken over at once',
    async () => {
      // `sleep 0.05` exits and stays a zombie: its parent exec'd into `sleep 30`, which never waits for it.
      const parent = spawn('sh', ['-c', 'sleep 0.05 & echo $!; exec sleep 30'])
      children.push(parent)
      const pid = await new Promise<number>((resolve) =>
        parent.stdout!.once('data', (data: Buffer) => resolve(Number(data.toString().trim()))),
      )
      const state = () => {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
        return stat.charAt(stat.lastIndexOf(')') + 2)
      }
      const deadline = Date.now() + 5_000
      while (state() !== 'Z' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
      expect(state()).toBe('Z')
      writeLock({ pid, session: true })
      expect(withFileLock(rpk, () => 'ran', { timeoutMs: 0 })).toBe('ran')
    },
  )

  test('a lock older than staleMs is taken over even when its pid runs', () => {
    const child = liveProcess()
    writeLock({ pid: child.pid!, createdAt: Date.now() - 60_000 })
    expect(withFileLock(rpk, () => 'ran', { timeoutMs: 0, staleMs: 30_000 })).toBe('ran')
  })

  test('an empty lock (its writer died before writing it) is taken over once old enough', () => {
    writeFileSync(lockPathFor(rpk), '')
    const old = new Date(Date.now() - 10_000)
    utimesSync(lockPathFor(rpk), old, old)
    expect(withFileLock(rpk, () => 'ran', { timeoutMs: 0 })).toBe('ran')
  })

  test('a live lock fails clearly after the wait: RPK_LOCKED with the owner and the lock file', () => {
    const child = liveProcess()
    writeLock({ pid: child.pid! })
    let error: unknown
    try {
      withFileLock(rpk, () => 'ran', { timeoutMs: 100 })
    } catch (caught) {
      error = caught
    }
    expect(error).toMatchObject({ code: 'RPK_LOCKED', file: rpk })
    expect(String(error)).toContain(`${lockPathFor(rpk)} is held by process ${child.pid} on ${hostname()}`)
    expect(String(error)).toContain(`delete ${lockPathFor(rpk)}`)
    expect(existsSync(lockPathFor(rpk))).toBe(true)
  })

  test('a live lock is waited for: the save runs once its owner releases it', async () => {
    // The owner takes the lock itself, then releases it 300 ms later.
    const child = liveProcess(`
      const fs = require('node:fs')
      fs.writeFileSync(process.env.LOCK, JSON.stringify({ pid: process.pid, host: require('node:os').hostname(), createdAt: Date.now(), token: 'x' }), { flag: 'wx' })
      console.log('locked')
      setTimeout(() => { fs.rmSync(process.env.LOCK); console.log('released') }, 300)
      setTimeout(() => {}, 60_000)`)
    let output = ''
    await new Promise<void>((resolve) =>
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString()
        if (output.includes('locked')) resolve()
      }),
    )
    // Blocks until the child removes its lock: a fresh lock of a live process is never taken over.
    expect(withFileLock(rpk, () => 'ran', { timeoutMs: 20_000 })).toBe('ran')
    await new Promise<void>((resolve) => child.stdout!.on('data', () => output.includes('released') && resolve()))
    expect(output).toBe('locked\nreleased\n')
  })

  test('the lock name stays within NAME_MAX for a 252-byte file name', () => {
    const long = join(dir, `${'x'.repeat(240)}.test.ts.rpk`)
    expect(basename(lockPathFor(long)).length).toBeLessThanOrEqual(255)
    expect(withFileLock(long, () => 'ran')).toBe('ran')
  })
})

describe('two writers of one file', () => {
  test('both keep their runs: the save merges into the file as it is now', () => {
    const testFile = join(dir, 'agent.test.ts')
    const file = rpkPathFor(testFile)
    mkdirSync(join(dir, '__snapshots__'))
    writeRpkFile(file, { runs: { 'old 1': sampleRun('old', 1) } })
    // Two processes (or two workers) open the file before either saves.
    const a = new ReplayFile(testFile, { update: 'new' })
    const b = new ReplayFile(testFile, { update: 'new' })
    expect(a.recorded('old 1')).toBeDefined()
    expect(b.recorded('old 1')).toBeDefined()
    a.store('a 1', sampleRun('a', 1))
    b.store('b 1', sampleRun('b', 1))
    expect(a.save()).toMatchObject({ written: true, added: ['a 1'] })
    expect(b.save()).toMatchObject({ written: true, added: ['b 1'] })
    expect(Object.keys(readRpkFile(file)?.runs ?? {}).sort()).toEqual(['a 1', 'b 1', 'old 1'])
  })

  test('two worker threads of one process (same pid) saving the same file both keep their runs', async () => {
    const testFile = join(dir, 'agent.test.ts')
    mkdirSync(join(dir, '__snapshots__'))
    writeRpkFile(rpkPathFor(testFile), { runs: { 'old 1': sampleRun('old', 1) } })
    // Each thread loads the file, waits until the other has loaded it too, then records and saves.
    const code = `
      const { workerData, parentPort } = require('node:worker_threads')
      ;(async () => {
        const { ReplayFile } = await import(workerData.dist)
        const file = new ReplayFile(workerData.testFile, { update: 'new' })
        file.recorded('old 1')
        const loaded = new Int32Array(workerData.shared)
        Atomics.add(loaded, 0, 1)
        Atomics.notify(loaded, 0)
        for (let n; (n = Atomics.load(loaded, 0)) < 2; ) Atomics.wait(loaded, 0, n, 50)
        file.store(workerData.key, workerData.run)
        const saved = file.save()
        parentPort.postMessage({ added: saved.added, error: saved.error ? String(saved.error) : undefined })
      })()`
    const shared = new SharedArrayBuffer(4)
    const dist = new URL('../../dist/esm/public/runner.js', import.meta.url).href
    const results = await Promise.all(
      ['a', 'b'].map(
        (name) =>
          new Promise((resolve, reject) => {
            const workerData = { dist, testFile, shared, key: `${name} 1`, run: sampleRun(name, 1) }
            const worker = new Worker(code, { eval: true, workerData })
            worker.once('message', resolve)
            worker.once('error', reject)
          }),
      ),
    )
    expect(results).toEqual([{ added: ['a 1'] }, { added: ['b 1'] }])
    expect(Object.keys(readRpkFile(rpkPathFor(testFile))?.runs ?? {}).sort()).toEqual(['a 1', 'b 1', 'old 1'])
  })

  test('an update run removes only the obsolete entries it saw, not runs another writer added', () => {
    const testFile = join(dir, 'agent.test.ts')
    const file = rpkPathFor(testFile)
    mkdirSync(join(dir, '__snapshots__'))
    writeRpkFile(file, { runs: { 'gone 1': sampleRun('gone', 1) } })
    const updating = new ReplayFile(testFile, { update: 'all' })
    updating.recorded('gone 1')
    const other = new ReplayFile(testFile, { update: 'new' })
    other.store('other 1', sampleRun('other', 1))
    other.save()
    updating.store('a 1', sampleRun('a', 1))
    expect(updating.save()).toMatchObject({ added: ['a 1'], removed: ['gone 1'] })
    expect(Object.keys(readRpkFile(file)?.runs ?? {}).sort()).toEqual(['a 1', 'other 1'])
  })

  test('a lock another writer holds too long fails the save loudly, with the runs it could not write', () => {
    const testFile = join(dir, 'agent.test.ts')
    mkdirSync(join(dir, '__snapshots__'))
    rpk = rpkPathFor(testFile)
    const child = liveProcess()
    writeLock({ pid: child.pid! })
    const file = new ReplayFile(testFile, { update: 'new', lock: { timeoutMs: 50 } })
    file.store('a 1', sampleRun('a', 1))
    const saved = file.save()
    expect(saved).toMatchObject({ written: false, added: [], unsaved: ['a 1'] })
    expect(saved.error).toMatchObject({ code: 'RPK_LOCKED' })
  })
})
