/**
 * The gateway holds its `.rpk`'s lock for the listener's life (each exchange is
 * one append to an open journal): a second writer of the same file gets
 * RPK_LOCKED naming the listener, a lock left by a listener killed with -9 is
 * recognised as stale by the next start, which recovers the journal and records
 * on. The killed listener runs the built package in a child process (`npm run build` first).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type FakeProvider, startFakeProvider } from '../../../../test/utils/fake-provider.js'
import { isPidAlive } from '../../src/artifact/process-owner.js'
import { isReplayKitError } from '../../src/errors.js'
import { startGateway } from '../../src/public/gateway.js'
import { holdFileLock, lockPathFor, withFileLock } from '../../src/store/file-lock.js'
import { JournalStore } from '../../src/store/journal-store.js'
import { spawnBuiltGateway } from './built-gateway.js'

let dir: string
let fake: FakeProvider
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-gateway-lock-'))
  fake = await startFakeProvider()
})
afterAll(async () => {
  await fake.close()
  rmSync(dir, { recursive: true, force: true })
})

function ask(url: string, session: string, content: string): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-replaykit-session': session },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content }] }),
  })
}

async function lockedError(run: () => Promise<unknown> | unknown): Promise<unknown> {
  try {
    await run()
  } catch (error) {
    return error
  }
  throw new Error('expected RPK_LOCKED, got no error')
}

it('a second writer of a recording file gets RPK_LOCKED naming the listener, until it stops', async () => {
  const out = join(dir, 'shared.rpk')
  const upstreams = { openai: `${fake.url}/v1` }
  const first = await startGateway({ out, upstreams })
  expect(await (await ask(first.url, 'a', 'one')).text()).toContain('choices')

  const second = await lockedError(() => startGateway({ out, upstreams }))
  expect(isReplayKitError(second) && second.code).toBe('RPK_LOCKED')
  expect(String((second as Error).message)).toContain(String(process.pid))
  expect(isReplayKitError(second) && second.hint).toContain('replaykit listen')

  // Any other writer too: a store saving into the file while the listener records.
  const store = new JournalStore(out, { lock: { timeoutMs: 100 }, onWarning: () => {} })
  const append = await lockedError(() => store.append('other 1', []))
  expect(isReplayKitError(append) && append.code).toBe('RPK_LOCKED')

  await first.close()
  expect(existsSync(lockPathFor(out))).toBe(false)
  const third = await startGateway({ out, upstreams })
  expect(await (await ask(third.url, 'b', 'two')).text()).toContain('choices')
  await third.close()
  expect(Object.keys(new JournalStore(out).read()?.runs ?? {})).toHaveLength(2)
})

it('a held lock is not judged stale by its age while its owner lives', () => {
  const file = join(dir, 'aged.rpk')
  const held = holdFileLock(file, { staleMs: 50 })
  try {
    const until = Date.now() + 120
    while (Date.now() < until) {
      // Older than staleMs now.
    }
    const error = (() => {
      try {
        withFileLock(file, () => 'taken', { staleMs: 50, timeoutMs: 100 })
      } catch (caught) {
        return caught
      }
      return undefined
    })()
    expect(isReplayKitError(error) && error.code).toBe('RPK_LOCKED')
  } finally {
    held.release()
  }
  expect(withFileLock(file, () => 'taken')).toBe('taken')
})

/** Try the lock once, without waiting: 'taken', or the error code. */
function tryLock(file: string, staleMs: number): string {
  try {
    return withFileLock(file, () => 'taken', { staleMs, timeoutMs: 0 })
  } catch (error) {
    return isReplayKitError(error) ? error.code : String(error)
  }
}

/** The lock as a process on another host sees it: the owner's pid cannot be checked there, only the lock's mtime. */
function asFromAnotherHost(lock: string): void {
  const owner = JSON.parse(readFileSync(lock, 'utf8')) as Record<string, unknown>
  writeFileSync(lock, JSON.stringify({ ...owner, host: 'another-host.invalid' }))
}

it('a lock held by a live listener on another host is refreshed, so it is never taken over as stale', async () => {
  const file = join(dir, 'shared-folder.rpk')
  const lock = lockPathFor(file)
  const staleMs = 400
  // Refreshed every staleMs / 4: the timer runs while the holder's event loop is free, as a listener's is.
  const held = holdFileLock(file, { staleMs })
  try {
    asFromAnotherHost(lock)
    const before = statSync(lock).mtimeMs
    // Well past staleMs: a lock judged by its age (or an mtime never touched) would be stale by now.
    await new Promise((resolve) => setTimeout(resolve, staleMs * 3))
    expect(statSync(lock).mtimeMs).toBeGreaterThan(before)
    expect(Date.now() - (JSON.parse(readFileSync(lock, 'utf8')) as { createdAt: number }).createdAt).toBeGreaterThan(
      staleMs,
    )
    expect(tryLock(file, staleMs)).toBe('RPK_LOCKED')

    // The same lock not refreshed (its host hung or lost the folder): stale once its mtime is older than staleMs.
    const old = new Date(Date.now() - staleMs * 2)
    utimesSync(lock, old, old)
    expect(tryLock(file, staleMs)).toBe('taken')
  } finally {
    held.release()
  }
  expect(existsSync(lock)).toBe(false)
})

it('a listener lock from another host left without refresh is taken over; one refreshed recently is not', () => {
  const file = join(dir, 'left-behind.rpk')
  const lock = lockPathFor(file)
  const owner = { pid: 1, host: 'another-host.invalid', createdAt: Date.now() - 60_000, token: 'theirs', session: true }
  writeFileSync(lock, JSON.stringify(owner))
  // Touched a moment ago by its owner: held, however old its createdAt.
  expect(tryLock(file, 30_000)).toBe('RPK_LOCKED')
  const old = new Date(Date.now() - 31_000)
  utimesSync(lock, old, old)
  expect(tryLock(file, 30_000)).toBe('taken')
  expect(existsSync(lock)).toBe(false)
})

it('kill -9 leaves a lock the next start recognises as stale: it recovers the journal and records on', async () => {
  const out = join(dir, 'killed.rpk')
  const { child, url } = await spawnBuiltGateway(out, `${fake.url}/v1`)
  // Each answer read to its end: a client that has its whole answer finds the exchange in the file.
  for (let i = 0; i < 5; i++) expect(await (await ask(url, 'before', `question ${i}`)).text()).toContain('choices')
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGKILL')
  await exited

  // The killed listener's lock is still there, naming a pid that is gone.
  const lock = lockPathFor(out)
  const owner = JSON.parse(readFileSync(lock, 'utf8')) as { pid: number }
  expect(owner.pid).toBe(child.pid)
  expect(isPidAlive(owner.pid)).toBe(false)

  const restarted = await startGateway({ out, upstreams: { openai: `${fake.url}/v1` } })
  expect(await (await ask(restarted.url, 'after', 'question 5')).text()).toContain('choices')
  // The lock is this process's now.
  expect((JSON.parse(readFileSync(lock, 'utf8')) as { pid: number }).pid).toBe(process.pid)
  const summary = await restarted.close()
  expect(summary.degraded).toEqual([])
  expect(existsSync(lock)).toBe(false)

  const runs = Object.values(new JournalStore(out).read()?.runs ?? {})
  const requests = (name: string) =>
    runs.filter((run) => run.name === name).flatMap((run) => run.steps.filter((step) => step.kind === 'model.request'))
  expect(requests('listen before')).toHaveLength(5)
  expect(requests('listen after')).toHaveLength(1)
})

it('an answer of known length is whole for its client only once its exchange is in the journal', async () => {
  const out = join(dir, 'durable.rpk')
  const { child, url } = await spawnBuiltGateway(out, `${fake.url}/v1`)
  try {
    for (let i = 1; i <= 30; i++) {
      const response = await ask(url, 'durable', `question ${i}`)
      expect(response.headers.get('content-length')).not.toBeNull()
      await response.text()
      // Frozen the moment the client has its answer, as a kill -9 would leave it: the exchange is written.
      child.kill('SIGSTOP')
      const lines = readFileSync(`${out}.journal`, 'utf8').split('\n').filter(Boolean)
      child.kill('SIGCONT')
      expect(lines.length - 1).toBe(i)
    }
  } finally {
    child.kill('SIGKILL')
  }
})
