/**
 * Temp files of the atomic writer: short names that carry their owner, and the
 * clean-up of those left behind by a writer that died mid-write.
 *
 * A temp file is `.rpk-<host tag>-<pid>-<random>.tmp` in the target's folder:
 * - short (about 35 bytes) whatever the target's name, so a 250-byte test file
 *   name stays within NAME_MAX (255 bytes) where `.<target>.<pid>.tmp` did not;
 * - the host tag and pid name the owner, so the next write in the folder can
 *   remove the temp files of dead owners on this host and leave those of live
 *   writers (another worker, another process, another host) alone.
 */
import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { randomBytes } from '../lazy-deps.js'
import { hostTag, isPidAlive } from './process-owner.js'

const TEMP = /^\.rpk-([0-9a-f]{8})-(\d+)-[0-9a-f]+\.tmp$/
// @note The names 0.1.0 gave `.rpk` temp files (`.<target>.rpk.<pid>.<microseconds>.tmp`): its killed
// writers left these behind (tens of MB each). They carry no host: the folder is taken as this host's.
const LEGACY_TEMP = /^\..+\.rpk\.(\d+)\.\d+\.tmp$/

/** A new temp file path in `folder` owned by this process. */
export function tempPathIn(folder: string): string {
  return join(folder, `.rpk-${hostTag()}-${process.pid}-${randomBytes(4).toString('hex')}.tmp`)
}

/** The pid owning a temp file name on this host, or undefined when it is not one of ours. */
export function tempOwner(name: string): number | undefined {
  const match = TEMP.exec(name)
  if (match) return match[1] === hostTag() ? Number(match[2]) : undefined
  const legacy = LEGACY_TEMP.exec(name)
  return legacy ? Number(legacy[1]) : undefined
}

/** Remove the temp files in `folder` whose writer on this host is no longer running. Returns their names. */
export function removeDeadTemps(folder: string): string[] {
  let names: string[]
  try {
    names = readdirSync(folder)
  } catch {
    return []
  }
  const removed: string[] = []
  for (const name of names) {
    const pid = tempOwner(name)
    if (pid === undefined || isPidAlive(pid)) continue
    try {
      rmSync(join(folder, name), { force: true })
      removed.push(name)
    } catch {
      // @note Best effort: a leftover that cannot be removed now (permissions) must not fail the write.
    }
  }
  return removed
}
