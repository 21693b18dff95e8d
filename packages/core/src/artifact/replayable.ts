/**
 * What the JSON Schema cannot say about a recording that replay relies on:
 * every blob reference resolves, base64 is base64, a URL parses, a stream's
 * events fit its format, a response has one body. A file that breaks one of
 * these would crash inside the request handler (serving its stack trace as a
 * 500) or serve bytes nobody recorded, so it is refused at load with the path.
 *
 * The rest (status 200-599, header names and values that `Headers` accepts,
 * SSE field values on one line) is in the schema itself (schema/v1.ts).
 */
import { formatJsonPath, type PathSegment } from './json-path.js'
import type { Body, HttpRequestData, HttpResponseData, RpkFile, StreamDetail } from './types.js'
import type { SchemaViolation } from './validate.js'

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/
/** The longest delay setTimeout takes (2^31 - 1 ms, about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1

/** The first reason `file` (schema-valid) cannot be replayed, or undefined. */
export function findUnreplayable(file: RpkFile): SchemaViolation | undefined {
  const blobs = file.blobs ?? {}
  for (const key of Object.keys(blobs)) {
    const body = blobs[key] as Body
    const at = ['blobs', key]
    if ('blob' in body)
      return violation([...at, 'blob'], 'is a reference to another blob; a stored body must hold the body itself')
    const problem = bodyProblem(body, at, blobs)
    if (problem) return problem
  }
  for (const key of Object.keys(file.runs)) {
    const steps = (file.runs[key] as RpkFile['runs'][string]).steps
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i] as (typeof steps)[number]
      const at: PathSegment[] = ['runs', key, 'steps', i]
      let problem: SchemaViolation | undefined
      if (step.kind === 'http.request' || step.kind === 'model.request') {
        problem = requestProblem(step.request, [...at, 'request'], blobs)
      } else if (step.kind === 'http.response' || step.kind === 'model.response') {
        problem = responseProblem(step.response, [...at, 'response'], blobs)
      }
      if (problem) return problem
    }
  }
  return undefined
}

function requestProblem(
  request: HttpRequestData,
  at: PathSegment[],
  blobs: Record<string, Body>,
): SchemaViolation | undefined {
  if (!URL.canParse(request.url)) {
    return violation([...at, 'url'], `is ${JSON.stringify(request.url)}, which is not an absolute URL`)
  }
  return request.body ? bodyProblem(request.body, [...at, 'body'], blobs) : undefined
}

function responseProblem(
  response: HttpResponseData,
  at: PathSegment[],
  blobs: Record<string, Body>,
): SchemaViolation | undefined {
  if (response.stream && response.body) {
    return violation([...at, 'body'], 'is present beside `stream`; a response has either a body or a stream')
  }
  if (response.stream) return streamProblem(response.stream, [...at, 'stream'])
  return response.body ? bodyProblem(response.body, [...at, 'body'], blobs) : undefined
}

function bodyProblem(body: Body, at: PathSegment[], blobs: Record<string, Body>): SchemaViolation | undefined {
  if ('blob' in body && !Object.hasOwn(blobs, body.blob)) {
    return violation([...at, 'blob'], `names ${body.blob.slice(0, 19)}…, which is not in $.blobs`)
  }
  if ('base64' in body && (body.base64.length % 4 !== 0 || !BASE64.test(body.base64))) {
    return violation([...at, 'base64'], 'is not base64 (A-Z, a-z, 0-9, +, / in groups of four, = padding)')
  }
  return undefined
}

function streamProblem(stream: StreamDetail, at: PathSegment[]): SchemaViolation | undefined {
  if (stream.format === 'chunks' && stream.lineEnding !== undefined) {
    return violation([...at, 'lineEnding'], 'is set on a `chunks` stream; only `sse` streams have line endings')
  }
  for (let i = 0; i < stream.events.length; i++) {
    const event = stream.events[i] as StreamDetail['events'][number]
    const here = [...at, 'events', i]
    // Paced replay waits atMs with setTimeout, which cannot wait longer (it would fire at once and warn).
    if (event.atMs !== undefined && event.atMs > MAX_TIMER_MS) {
      return violation([...here, 'atMs'], `is ${event.atMs} ms, longer than replay can wait (${MAX_TIMER_MS} ms)`)
    }
    if (event.json !== undefined && event.data !== undefined) {
      return violation([...here, 'data'], 'is present beside `json`; an event carries its payload once')
    }
    if (stream.format === 'chunks') {
      for (const member of ['event', 'id', 'json'] as const) {
        if (event[member] !== undefined) {
          return violation([...here, member], 'is set on a `chunks` stream event, which holds only `data`')
        }
      }
      if (event.data === undefined) return violation([...here, 'data'], 'is required on a `chunks` stream event')
    }
  }
  return undefined
}

function violation(segments: PathSegment[], message: string): SchemaViolation {
  return { path: formatJsonPath(segments), message }
}
