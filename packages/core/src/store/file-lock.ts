/**
 * A lock on one `.rpk` across processes and worker threads, held while a test
 * run reads the file again, merges its runs in and writes it.
 *
 * The lock is a file beside the recording, `<name>.rpk.lock`, created with
 * O_EXCL (`wx`) and holding `{ pid, host, createdAt, token }`. A lock is stale,
 * and taken over, when its owner on this host is no longer running or when it
 * is older than `staleMs` (an owner on another host, a reused pid, a hung
 * process). A live lock is waited for up to `timeoutMs`, then the save fails
 * with RPK_LOCKED naming the owner and the lock file.
 *
 * @note Synchronous on purpose: the runners save from hooks that expect the file
 * to be written when they return, and a test worker has nothing else to do while
 * it waits. proper-lockfile's `lockSync` does not wait or retry, and its
 * staleness relies on timers refreshing the lock's mtime, which cannot run
 * during a synchronous write of a large file; a save holds the lock for well
 * under a second, so an age bound far above that is enough.
 */
import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeSync,
} from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { HOST, isPidAlive } from '../artifact/process-owner.js'
import { LockedError } from '../errors/classes.js'
import type { ReplayKitError } from '../errors.js'
import { createHash, randomBytes } from '../lazy-deps.js'

export interface LockOptions {
  /** How long to wait for a lock a live process holds. Default 30 s. */
  timeoutMs?: number
  /** A lock older than this is abandoned, whoever holds it. Default 10 min. */
  staleMs?: number
  /** Time between two attempts. Default 20 ms. */
  pollMs?: number
}

/** What a lock file holds. */
export interface LockOwner {
  pid: number
  host: string
  /** Milliseconds since the epoch. */
  createdAt: number
  token: string
  /** Held for the owner's life (holdFileLock): stale only when its owner is gone, not by age. */
  session?: boolean
}

// A lock file still empty this long after its creation belongs to a writer that died between create and write.
const EMPTY_GRACE_MS = 2_000
const NAME_MAX = 255

/** The lock file of `file`: `<name>.lock`, or a short hashed name when that would pass NAME_MAX. */
export function lockPathFor(file: string): string {
  const name = `${basename(file)}.lock`
  if (Buffer.byteLength(name) <= NAME_MAX) return join(dirname(file), name)
  return join(dirname(file), `.rpk-lock-${createHash('sha256').update(basename(file)).digest('hex').slice(0, 16)}`)
}

/** Run `fn` holding the lock of `file`; the lock is released when `fn` returns or throws. */
export function withFileLock<T>(file: string, fn: () => T, options: LockOptions = {}): T {
  const lock = lockPathFor(file)
  const token = acquire(file, lock, options)
  try {
    return fn()
  } finally {
    release(lock, token)
  }
}

/** A lock held until `release()`: see holdFileLock. */
export interface HeldFileLock {
  readonly lock: string
  release(): void
}

/**
 * Take the lock of `file` and keep it until `release()`: for a process that is
 * the file's only writer for its whole life (the gateway), so that each write
 * does not pay for creating and removing the lock file.
 *
 * @note Judged by its owner, not its age: on this host it is stale once its pid
 * is gone (a kill -9 leaves it, and the next writer takes it over); on another
 * host it is stale when its mtime, touched every `staleMs / 4` while held, is
 * older than `staleMs`.
 */
export function holdFileLock(file: string, options: LockOptions = {}): HeldFileLock {
  const lock = lockPathFor(file)
  const token = acquire(file, lock, options, true)
  const staleMs = options.staleMs ?? 600_000
  const touch = setInterval(() => {
    try {
      const now = new Date()
      utimesSync(lock, now, now)
    } catch {
      // Gone or unwritable: the next write under it fails and says so.
    }
  }, staleMs / 4)
  touch.unref()
  let released = false
  return {
    lock,
    release: () => {
      if (released) return
      released = true
      clearInterval(touch)
      release(lock, token)
    },
  }
}

function acquire(file: string, lock: string, options: LockOptions, session = false): string {
  const timeoutMs = options.timeoutMs ?? 30_000
  const staleMs = options.staleMs ?? 600_000
  const pollMs = options.pollMs ?? 20
  const owner: LockOwner = {
    pid: process.pid,
    host: HOST,
    createdAt: Date.now(),
    token: randomBytes(8).toString('hex'),
    ...(session ? { session: true } : {}),
  }
  mkdirSync(dirname(lock), { recursive: true })
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (tryCreate(lock, { ...owner, createdAt: Date.now() })) return owner.token
    const held = readLock(lock)
    if (!held) continue
    if (isStale(held, staleMs)) {
      breakLock(lock, held.raw)
      continue
    }
    if (Date.now() >= deadline) throw lockedError(file, lock, held.owner, timeoutMs)
    sleep(pollMs)
  }
}

function tryCreate(lock: string, owner: LockOwner): boolean {
  let fd: number
  try {
    fd = openSync(lock, 'wx')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
  try {
    writeSync(fd, `${JSON.stringify(owner)}\n`)
  } finally {
    closeSync(fd)
  }
  return true
}

interface HeldLock {
  raw: string
  owner?: LockOwner
  mtimeMs: number
}

/** The lock as it is now; undefined when it vanished meanwhile (released: try again at once). */
function readLock(lock: string): HeldLock | undefined {
  try {
    const mtimeMs = statSync(lock).mtimeMs
    const raw = readFileSync(lock, 'utf8')
    return { raw, owner: parseOwner(raw), mtimeMs }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

function parseOwner(raw: string): LockOwner | undefined {
  try {
    const value = JSON.parse(raw) as Partial<LockOwner>
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.createdAt === 'number') {
      const owner: LockOwner = {
        pid: value.pid,
        host: value.host,
        createdAt: value.createdAt,
        token: String(value.token),
      }
      if (value.session === true) owner.session = true
      return owner
    }
  } catch {
    /* empty or half-written: judged by its age */
  }
  return undefined
}

function isStale(held: HeldLock, staleMs: number): boolean {
  const now = Date.now()
  if (!held.owner) return now - held.mtimeMs > EMPTY_GRACE_MS
  if (held.owner.host === HOST && !isPidAlive(held.owner.pid)) return true
  if (held.owner.session) return held.owner.host !== HOST && now - held.mtimeMs > staleMs
  return now - held.owner.createdAt > staleMs
}

/**
 * Take a stale lock away: rename it aside (atomic, one winner), and check that
 * what was moved is the lock judged stale. When another process replaced it in
 * between, put that fresh lock back unless a third one exists by now.
 */
function breakLock(lock: string, judged: string): void {
  const aside = join(dirname(lock), `.rpk-stale-${randomBytes(6).toString('hex')}`)
  try {
    renameSync(lock, aside)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw error
  }
  try {
    if (readFileSync(aside, 'utf8') !== judged) linkSync(aside, lock)
  } catch {
    // @note EEXIST: a third writer took the lock in between, and it may overlap with the owner of the
    // moved lock. That needs a stale lock and three writers within the same few milliseconds.
  } finally {
    rmSync(aside, { force: true })
  }
}

function release(lock: string, token: string): void {
  try {
    if (parseOwner(readFileSync(lock, 'utf8'))?.token === token) unlinkSync(lock)
  } catch {
    // @note Gone already (taken over as stale after staleMs): nothing of ours to remove.
  }
}

function lockedError(file: string, lock: string, owner: LockOwner | undefined, timeoutMs: number): ReplayKitError {
  const who = owner
    ? `process ${owner.pid} on ${owner.host} since ${new Date(owner.createdAt).toISOString()}`
    : 'a process that has not written its name yet'
  return new LockedError(
    `Failed to lock the recording for writing: ${lock} is held by ${who}; waited ${Math.round(timeoutMs / 1000)} s.`,
    {
      file,
      hint: owner?.session
        ? `a long-lived writer (a \`replaykit listen\` gateway, pid ${owner.pid}) records to this file: stop it, or write to another file. If no such process exists, delete ${lock}.`
        : `another test run is writing this file: let it finish and run again. If no such run exists, delete ${lock}.`,
    },
  )
}

const SLEEPER = new Int32Array(new SharedArrayBuffer(4))

/** Block this thread for `ms`: a worker saving its file has nothing else to do meanwhile. */
function sleep(ms: number): void {
  Atomics.wait(SLEEPER, 0, 0, ms)
}
