/**
 * The recording's copy of a live answer's body: the chunks the relay writes
 * to the client, handed to the recording's reader (engine/read-response.ts)
 * as they come.
 *
 * Why not a web ReadableStream in a web Response, as before: building them
 * (undici's body extraction, the stream's transferable setup) and reading
 * through them cost about a quarter of the gateway's own time per buffered
 * request (docs/performance.md, issue 13, part S). A body with a
 * content-encoding still goes through them: its decoders are web streams.
 *
 * @note Unlike a web stream, chunks read before a failure are kept: the
 * recording reads every chunk the client got.
 */
import type { ChunkReader } from '../engine/read-response.js'

type Read = ReadableStreamReadResult<Uint8Array>

export class BodyCopy implements ChunkReader {
  private readonly chunks: Uint8Array[] = []
  private ended = false
  private failure: Error | undefined
  private waiting: { resolve: (read: Read) => void; reject: (error: Error) => void } | undefined

  /** A chunk the client got. */
  push(chunk: Uint8Array): void {
    if (this.ended || this.failure) return
    const waiting = this.waiting
    this.waiting = undefined
    if (waiting) waiting.resolve({ done: false, value: chunk })
    else this.chunks.push(chunk)
  }

  /** The body ended whole. */
  close(): void {
    if (this.ended || this.failure) return
    this.ended = true
    const waiting = this.waiting
    this.waiting = undefined
    waiting?.resolve({ done: true, value: undefined })
  }

  /** The body was cut. */
  error(error: Error): void {
    if (this.ended || this.failure) return
    this.failure = error
    const waiting = this.waiting
    this.waiting = undefined
    waiting?.reject(error)
  }

  read(): Promise<Read> {
    const chunk = this.chunks.shift()
    if (chunk) return Promise.resolve({ done: false, value: chunk })
    if (this.failure) return Promise.reject(this.failure)
    if (this.ended) return Promise.resolve({ done: true, value: undefined })
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject }
    })
  }
}
