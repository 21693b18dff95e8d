/**
 * Who owns a temp file or a lock: this host and process, and whether an owner
 * named in a file name or a lock is still alive.
 */
import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { createHash } from '../lazy-deps.js'

/** The host's name, for messages and lock contents. */
export const HOST: string = hostname()

let tag: string | undefined
/**
 * 8 hex digits naming this host in temp file names: a pid is only meaningful on
 * the host that owns it (a folder may be shared over NFS or a container mount).
 * Made on first use: hashing loads node:crypto, which importing core's root does not.
 */
export function hostTag(): string {
  tag ??= createHash('sha256').update(HOST).digest('hex').slice(0, 8)
  return tag
}

/**
 * True when a process with this pid runs on this host. `kill(pid, 0)` sends no
 * signal; EPERM means it exists but belongs to another user.
 *
 * @note A pid can be reused by an unrelated process after its owner died: the
 * answer is then "alive" and the caller keeps the file, the safe side.
 */
export function isPidAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  return !isZombie(pid)
}

/**
 * A process that has exited but is not reaped yet (a zombie) still answers
 * `kill(pid, 0)`. A killed `replaykit listen` is one until init (or a
 * container's PID 1, which may reap late or never) reaps it: without this
 * check its held lock would pass for live. Linux only (`/proc/<pid>/stat`).
 */
function isZombie(pid: number): boolean {
  try {
    // "pid (name) S …": the state follows the name, which may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const state = stat.charAt(stat.lastIndexOf(')') + 2)
    return state === 'Z' || state === 'X'
  } catch {
    return false
  }
}
