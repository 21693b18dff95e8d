/**
 * Writing a file's text to a file descriptor as it is made: encoded into one
 * 1 MB block, reused, and sealed (text-hash.ts) on the way when asked.
 *
 * @note Why one block, reused: touching fresh memory costs about 2.5 ms per MB
 * on the machines we measured (sealed-parse.ts), and the 17 MB of a 10,000-step
 * file held as chunks until the write took fresh pages for all of it in a
 * process's first write (the first pass of the step-by-step writer was slower
 * than the run-by-run one it replaced). A block written as soon as it is full
 * is the same memory for the whole file.
 */
import type { Hash } from 'node:crypto'
import { writeSync } from 'node:fs'
import { createHash } from '../lazy-deps.js'
import type { TextProducer } from './formed-writer.js'
import { BEFORE_SEAL, sealLine, UNSEALED_END } from './text-hash.js'

/** Bytes of the block (text larger than a block is encoded on its own): 17 writes for 17 MB. */
const BLOCK_BYTES = 1024 * 1024
/** Characters gathered before they are encoded: one native call per 16 k, not per piece. */
const PENDING_CHARS = 16 * 1024

/**
 * Write the text `produce` gives to `fd`; with `seal` (or when `seal()` says so once the text is
 * made), the text (which must end with `\n}\n`, as every canonical file text does) ends with the
 * seal instead, as `sealText` would write it.
 */
export function writeText(fd: number, produce: TextProducer, seal: boolean | (() => boolean)): void {
  const hash = seal !== false ? createHash('sha256') : undefined
  const out = new BlockWriter(fd, hash)
  produce((text) => out.add(text))
  if (!hash || (typeof seal === 'function' && !seal())) {
    out.end('')
    return
  }
  const last = out.takePending()
  if (!last.endsWith(UNSEALED_END)) throw new Error('writeText: not the canonical text of a file')
  out.add(`${last.slice(0, last.length - UNSEALED_END.length)}${BEFORE_SEAL}`)
  out.flushAll()
  out.end(sealLine(hash.digest('hex')))
}

/** Strings encoded as UTF-8 into one block, written to `fd` (and hashed) each time it fills. */
class BlockWriter {
  readonly #fd: number
  readonly #hash: Hash | undefined
  readonly #block: Buffer = Buffer.allocUnsafe(BLOCK_BYTES)
  #used = 0
  #pending = ''

  constructor(fd: number, hash: Hash | undefined) {
    this.#fd = fd
    this.#hash = hash
  }

  /** The text is kept until more comes: the last piece given is still pending at the end. */
  add(text: string): void {
    if (this.#pending.length >= PENDING_CHARS) this.#encode()
    this.#pending += text
  }

  /** The text given last and not encoded yet (at least the last piece). */
  takePending(): string {
    const text = this.#pending
    this.#pending = ''
    return text
  }

  /** Encode and write everything given so far. */
  flushAll(): void {
    this.#encode()
    this.#flush()
  }

  /** Write everything, then `tail` (not hashed). */
  end(tail: string): void {
    this.flushAll()
    if (tail.length > 0) writeBytes(this.#fd, Buffer.from(tail))
  }

  #encode(): void {
    const text = this.#pending
    this.#pending = ''
    if (text.length === 0) return
    // A UTF-16 unit is at most 3 bytes of UTF-8.
    if (this.#used + text.length * 3 > BLOCK_BYTES) {
      this.#flush()
      if (text.length * 3 > BLOCK_BYTES) {
        this.#emit(Buffer.from(text))
        return
      }
    }
    this.#used += this.#block.write(text, this.#used)
  }

  #flush(): void {
    if (this.#used === 0) return
    this.#emit(this.#block.subarray(0, this.#used))
    this.#used = 0
  }

  #emit(bytes: Buffer): void {
    this.#hash?.update(bytes)
    writeBytes(this.#fd, bytes)
  }
}

/** Write all the bytes (writeSync may write less than asked: go on from where it stopped). */
function writeBytes(fd: number, bytes: Uint8Array): void {
  let at = 0
  while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at)
}
