/**
 * Reading a sealed `.rpk` (text-hash.ts) from its file without holding it
 * whole: the bytes go through one block (byte-window.ts), are parsed piece by
 * piece (sealed-parse.ts) and hashed for the seal as they are read.
 *
 * @note The seal can only be checked once every byte has been read, so the
 * value parsed is given only if the seal then matches. Anything else (no seal
 * line at the end, bytes out of the writer's layout, a seal that does not
 * match, a read error) answers undefined, and the caller reads the file whole
 * and checks it as before: an edited file costs one wasted parse, a writer's
 * file no 17 MB buffer.
 */
import { fstatSync, readSync } from 'node:fs'
import { createHash } from '../lazy-deps.js'
import { ByteWindow } from './byte-window.js'
import { parseSealedWindow } from './sealed-parse.js'
import { BEFORE_SEAL, SEAL_TAIL_BYTES, sealOfTail } from './text-hash.js'

/** The parsed value of the open file when it is sealed and its seal matches; undefined otherwise. */
export function readSealedFile(fd: number): unknown {
  const size = fstatSync(fd).size
  if (size < SEAL_TAIL_BYTES) return undefined
  const tail = Buffer.alloc(SEAL_TAIL_BYTES)
  if (readSync(fd, tail, 0, SEAL_TAIL_BYTES, size - SEAL_TAIL_BYTES) !== SEAL_TAIL_BYTES) return undefined
  const seal = sealOfTail(tail)
  if (seal === undefined) return undefined
  // The seal covers every byte before its line (the member's `,` and line break included).
  const covered = size - SEAL_TAIL_BYTES + BEFORE_SEAL.length
  const hash = createHash('sha256')
  let seen = 0
  const bytes = ByteWindow.ofFile(fd, size, (chunk) => {
    const take = Math.min(chunk.length, covered - seen)
    if (take > 0) hash.update(take === chunk.length ? chunk : chunk.subarray(0, take))
    seen += chunk.length
  })
  const value = parseSealedWindow(bytes)
  if (value === undefined || !bytes.readToEnd() || seen !== size) return undefined
  return hash.digest('hex') === seal ? value : undefined
}
