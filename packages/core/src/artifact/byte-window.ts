/**
 * The bytes of a file seen through one block of memory that is refilled as the
 * reader moves on (sealed-parse.ts reads a sealed `.rpk` through it), or the
 * bytes of a buffer already in memory, behind the same few questions. Offsets
 * are the file's, whatever part of it the block holds.
 *
 * @note Why not `readFileSync`: on the machines we measured, a process's first
 * touch of fresh memory costs about 2.5 ms per MB (the kernel maps and zeroes
 * each page), and a 17 MB file read whole took 48 ms of CPU in a fresh process,
 * nearly all of it in the kernel, against 6 ms read 1 MB at a time into the same
 * block. What a parser keeps is small pieces of text (sealed-parse.ts), so no
 * whole-file buffer is needed.
 */
import { readSync } from 'node:fs'

/** Bytes of the block: 17 reads for a 17 MB file. It grows only for a piece that does not fit. */
export const BLOCK_BYTES: number = 1024 * 1024

/** Receives every byte read from the file, once and in order (the seal's hash). */
export type ByteSink = (bytes: Uint8Array) => void

export class ByteWindow {
  /** The file's length in bytes. */
  readonly length: number
  readonly #fd: number | undefined
  readonly #sink: ByteSink | undefined
  #block: Buffer
  /** The block's bytes that hold file bytes; `#view[0]` is the file's byte `#base`. */
  #view: Buffer
  #base = 0
  /** Bytes of the file read so far. */
  #read = 0
  /** Before this offset the reader needs no byte again, so refilling may drop them. */
  #kept = 0

  private constructor(block: Buffer, length: number, fd?: number, sink?: ByteSink) {
    this.#block = block
    this.length = length
    this.#fd = fd
    this.#sink = sink
    this.#view = fd === undefined ? block : block.subarray(0, 0)
    this.#read = fd === undefined ? length : 0
  }

  /** The bytes of a buffer already in memory. */
  static of(bytes: Uint8Array): ByteWindow {
    return new ByteWindow(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), bytes.byteLength)
  }

  /** The first `length` bytes of an open file, read as they are asked for; each read byte goes to `sink`. */
  static ofFile(fd: number, length: number, sink?: ByteSink): ByteWindow {
    return new ByteWindow(Buffer.allocUnsafe(Math.min(BLOCK_BYTES, Math.max(length, 1))), length, fd, sink)
  }

  /** Bytes before `offset` will not be asked for again. */
  keepFrom(offset: number): void {
    if (offset > this.#kept) this.#kept = offset
  }

  /** Reads what is left of the file (so that `sink` has seen every byte); false when the file ended early. */
  readToEnd(): boolean {
    while (this.#read < this.length) {
      this.keepFrom(this.#base + this.#view.length)
      if (!this.#fill()) return false
    }
    return true
  }

  /** The byte at `offset`, or undefined past the end. */
  byteAt(offset: number): number | undefined {
    this.#notDropped(offset)
    if (!this.#have(offset + 1)) return undefined
    return this.#view[offset - this.#base]
  }

  /** True when the bytes at `offset` are `prefix`. */
  startsWith(prefix: Uint8Array, offset: number): boolean {
    this.#notDropped(offset)
    if (!this.#have(offset + prefix.length)) return false
    const at = offset - this.#base
    return this.#view.compare(prefix, 0, prefix.length, at, at + prefix.length) === 0
  }

  /** The offset of the first `needle` at or after `from`, or -1. */
  indexOf(needle: Uint8Array | number, from: number): number {
    this.#notDropped(from)
    const size = typeof needle === 'number' ? 1 : needle.length
    let start = from
    for (;;) {
      if (start - this.#base < this.#view.length) {
        const found = this.#view.indexOf(needle, start - this.#base)
        if (found >= 0) return this.#base + found
        // Not in what the block holds: go on from where a match could still start.
        start = Math.max(start, this.#base + this.#view.length - size + 1)
      }
      if (!this.#fill()) return -1
    }
  }

  /** The text of the bytes from `start` to `end` (the file's end by default). */
  text(start: number, end: number = this.length): string {
    this.#notDropped(start)
    if (!this.#have(end)) throw new Error('ByteWindow: the file ended early')
    return this.#view.toString('utf8', start - this.#base, end - this.#base)
  }

  /** A reader asking again for bytes it said it would not need is a bug in the reader: never a wrong answer. */
  #notDropped(offset: number): void {
    if (offset < this.#base) throw new Error('ByteWindow: bytes asked for after they were let go')
  }

  /** True once the block holds every byte before `end` (reading more as needed). */
  #have(end: number): boolean {
    while (this.#base + this.#view.length < end) if (!this.#fill()) return false
    return true
  }

  /** Reads more of the file into the block; false at its end. */
  #fill(): boolean {
    if (this.#fd === undefined || this.#read >= this.length) return false
    let used = this.#view.length
    if (used === this.#block.length) {
      // Full: drop what is no longer needed, or grow for a piece larger than the block.
      const drop = Math.min(this.#kept - this.#base, used)
      if (drop > 0) {
        this.#block.copy(this.#block, 0, drop, used)
        this.#base += drop
        used -= drop
      } else {
        const larger = Buffer.allocUnsafe(this.#block.length * 2)
        this.#block.copy(larger, 0, 0, used)
        this.#block = larger
      }
    }
    const want = Math.min(this.#block.length - used, this.length - this.#read)
    const got = readSync(this.#fd, this.#block, used, want, this.#read)
    if (got <= 0) return false
    this.#sink?.(this.#block.subarray(used, used + got))
    this.#read += got
    this.#view = this.#block.subarray(0, used + got)
    return true
  }
}
