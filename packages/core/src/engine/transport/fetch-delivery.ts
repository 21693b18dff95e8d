/**
 * Handing a replayed `Response` to `fetch`'s response handler, as undici's
 * client does with what it parsed off a socket: status and raw headers, then
 * the body's chunks with backpressure, then the end, or the error of a body
 * that failed (a recorded cut-off stream). Used by the fetch-dispatcher
 * transport (fetch-dispatcher.ts).
 */

import type { ReplayParts } from '../replay-response.js'

/** fetch's response handler: undici's legacy handler interface, the one Node 24's fetch implements. */
export interface FetchHandler {
  onConnect?(abort: (reason?: unknown) => void): void
  onResponseStarted?(): void
  onHeaders?(status: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean
  onData?(chunk: Buffer): boolean
  onComplete?(trailers: Buffer[]): void
  onError?(error: Error): void
}

export interface Delivery {
  /** The engine's: called once the client has taken the last byte of a body, or the body failed. */
  delivered?: () => void
  isAborted(): boolean
  /** Register what stops reading the body when fetch aborts. */
  onCancel(cancel: (reason?: unknown) => void): void
}

/**
 * Status, headers and body chunks into fetch's handler, as undici's client
 * would after parsing them off a socket, with its backpressure: a `false`
 * from `onData` waits for fetch's `resume`.
 */
export async function deliver(response: Response, handler: FetchHandler, delivery: Delivery): Promise<void> {
  const raw: Buffer[] = []
  response.headers.forEach((value, name) => {
    raw.push(Buffer.from(name, 'latin1'), Buffer.from(value, 'latin1'))
  })
  const flow = backpressure()
  const reader = response.body?.getReader()
  delivery.onCancel((reason) => {
    reader?.cancel(reason).catch(() => {})
    flow.resume()
  })
  handler.onResponseStarted?.()
  handler.onHeaders?.(response.status, raw, flow.resume, response.statusText)
  if (reader) {
    try {
      const chunks = readyChunks(reader)
      for (;;) {
        const { done, value } = await chunks.next()
        if (delivery.isAborted()) return
        if (done) break
        const paused = flow.send(() => handler.onData?.(value))
        if (paused) await paused
        if (delivery.isAborted()) return
      }
    } finally {
      delivery.delivered?.()
    }
  }
  handler.onComplete?.([])
}

/**
 * A recorded answer's parts (replay-response.ts `replayParts`) into fetch's handler: what
 * `deliver` does with the `Response` built from them, without building it. The body, all there
 * at once, is one chunk, as `deliver` joins the chunks queued at once.
 */
export async function deliverParts(parts: ReplayParts, handler: FetchHandler, delivery: Delivery): Promise<void> {
  const raw: Buffer[] = []
  for (const [name, value] of parts.headers) raw.push(Buffer.from(name, 'latin1'), Buffer.from(value, 'latin1'))
  const flow = backpressure()
  delivery.onCancel(() => flow.resume())
  handler.onResponseStarted?.()
  handler.onHeaders?.(parts.status, raw, flow.resume, parts.statusText)
  if (parts.body) {
    try {
      // As `deliver` reads its body: the chunk comes a turn after the headers, and an abort meanwhile stops it.
      await NOT_READY
      if (delivery.isAborted()) return
      if (parts.body.byteLength > 0) {
        const body = asBuffer(parts.body)
        const paused = flow.send(() => handler.onData?.(body))
        if (paused) await paused
        if (delivery.isAborted()) return
      }
    } finally {
      delivery.delivered?.()
    }
  }
  handler.onComplete?.([])
}

/**
 * undici's backpressure for one body: `send` hands a chunk over and, when the handler answers
 * `false`, waits for fetch's `resume` (which may come during the handler's own call, before the
 * `false` is seen); a cancel calls `resume` too, so a waiting delivery ends.
 */
function backpressure(): {
  resume: () => void
  send: (onData: () => boolean | undefined) => Promise<void> | undefined
} {
  let waiting: (() => void) | undefined
  let resumed = false
  const resume = (): void => {
    const go = waiting
    waiting = undefined
    if (go) go()
    else resumed = true
  }
  // No promise when the handler wants more: the next chunk goes in the same turn, as before.
  const send = (onData: () => boolean | undefined): Promise<void> | undefined => {
    resumed = false
    if (onData() === false && !resumed) return new Promise<void>((go) => (waiting = go))
    return undefined
  }
  return { resume, send }
}

/** Settled before any read: a read still waiting for its chunk loses the race to it. */
const NOT_READY = Promise.resolve(undefined)

/**
 * The body's chunks, the ones already queued joined into one: a stream replayed instantly has
 * every event queued at once, and a socket hands them to the client in one or a few reads, not
 * one per event (each chunk costs fetch's stream and the SDK's SSE parser a round; per event,
 * a replayed stream cost the SDK about twice what the same bytes from a loopback server did).
 * A chunk not queued yet (recorded pacing, a gap) ends the batch, so timing is kept.
 */
async function* readyChunks(reader: ReadableStreamDefaultReader<Uint8Array>): AsyncGenerator<Buffer> {
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined = reader.read()
  while (pending) {
    const first = await pending
    pending = undefined
    if (first.done) return
    const batch: Uint8Array[] = [first.value]
    for (;;) {
      const next = reader.read()
      // A read of a queued chunk is settled already: it wins the race against a settled sentinel.
      const ready = await Promise.race([next, NOT_READY])
      if (ready === undefined) {
        pending = next
        break
      }
      if (ready.done) break
      batch.push(ready.value)
    }
    yield batch.length === 1 ? asBuffer(batch[0] as Uint8Array) : Buffer.concat(batch)
  }
}

function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
}
