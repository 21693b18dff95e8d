/**
 * What a fake route answers, and how it is written to the socket: JSON, raw bytes, or SSE
 * frames paced by `eventDelayMs`, with the scripted faults (cut connection, malformed event).
 */
import type { ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Fault } from './script.js'

export type FakeResponse =
  | { type: 'json'; status: number; body: unknown; headers?: Record<string, string> }
  | { type: 'raw'; status: number; contentType: string; body: string | Uint8Array }
  | {
      type: 'sse'
      /** Whole frames, each with its blank-line terminator. */
      frames: string[]
      /** The frame `fake-malformed` inserts after the first one: well-framed, not JSON. */
      malformedFrame: string
    }

export interface SendOptions {
  eventDelayMs: number
  fault?: Fault
}

export function json(status: number, body: unknown): FakeResponse {
  return { type: 'json', status, body }
}

export async function send(res: ServerResponse, out: FakeResponse, options: SendOptions): Promise<void> {
  const fault = options.fault?.type
  if (out.type === 'sse') {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' })
    res.flushHeaders()
    let frames = out.frames
    if (fault === 'malformed') frames = [...frames.slice(0, 1), out.malformedFrame, ...frames.slice(1)]
    // Cut after half of the events: the client has seen a start but no end.
    if (fault === 'interrupt') frames = frames.slice(0, Math.max(1, Math.floor(frames.length / 2)))
    for (const [i, frame] of frames.entries()) {
      if (i > 0 && options.eventDelayMs > 0) await sleep(options.eventDelayMs)
      await write(res, frame)
    }
    if (fault === 'interrupt') return cut(res)
    res.end()
    return
  }
  const body = out.type === 'json' ? JSON.stringify(out.body) : out.body
  const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body)
  const contentType = out.type === 'json' ? 'application/json' : out.contentType
  if (fault === 'interrupt') {
    // Promise the whole body, send half: the client sees the connection die mid-body.
    res.writeHead(out.status, { 'content-type': contentType, 'content-length': String(bytes.length) })
    await write(res, bytes.subarray(0, Math.floor(bytes.length / 2)))
    return cut(res)
  }
  const payload = fault === 'malformed' ? bytes.subarray(0, Math.floor(bytes.length / 2)) : bytes
  res.writeHead(out.status, {
    'content-type': contentType,
    'content-length': String(payload.length),
    ...(out.type === 'json' ? out.headers : {}),
  })
  res.end(payload)
}

function write(res: ServerResponse, chunk: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => res.write(chunk, (error) => (error ? reject(error) : resolve())))
}

/** Drop the connection once what was written has been handed to the kernel. */
async function cut(res: ServerResponse): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve))
  res.socket?.destroy()
}
