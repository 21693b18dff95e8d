/**
 * Worker: record the SDK exchanges once with ReplayKit (record mode, against
 * the live fake) and write what every replay contender answers from, so they
 * all serve the same bytes:
 * - `<dir>/replay.rpk`: the runs `buffered` and `streamed`, for ReplayKit;
 * - `<dir>/msw-bodies.json`: the recorded response bodies (JSON, and SSE text), for the MSW handler;
 * - `<dir>/nock/<name>.json`: nock.back fixtures of the same exchanges.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { serializeSseEvent, writeRpkFile } from '@replaykit/core'
import { runCapture } from '@replaykit/core/engine'
import { ask, makeClient } from '../lib/openai-ask.mjs'

export async function setup({ origin, dir }) {
  return {
    async measure() {
      const client = makeClient(origin)
      const runs = {}
      const bodies = {}
      mkdirSync(join(dir, 'nock'), { recursive: true })
      for (const [name, stream] of [
        ['buffered', false],
        ['streamed', true],
      ]) {
        const result = await runCapture(() => ask(client, stream), { mode: 'record', name, index: 1 })
        if (result.threw) throw result.error
        runs[`${name} 1`] = result.run
        const request = result.run.steps.find((step) => step.kind === 'model.request')
        const response = result.run.steps.find((step) => step.kind === 'model.response')
        if (!request || !response) throw new Error(`recording ${name}: no model.request/model.response step`)
        const text = responseText(response.response)
        bodies[name] = { contentType: response.response.headers['content-type'], text }
        writeFileSync(
          join(dir, 'nock', `${name}.json`),
          JSON.stringify([nockDefinition(request.request, response, text)]),
        )
      }
      writeRpkFile(join(dir, 'replay.rpk'), { runs })
      writeFileSync(join(dir, 'msw-bodies.json'), JSON.stringify(bodies))
      return { steps: Object.values(runs).map((run) => run.steps.length) }
    },
  }
}

/** The response body as the server sent it: JSON text, or the SSE events serialised back. */
function responseText(response) {
  if (response.stream) return response.stream.events.map((event) => serializeSseEvent(event)).join('')
  return JSON.stringify(response.body.json)
}

/** A nock.back fixture entry (nock 15 format) for one recorded exchange. */
function nockDefinition(request, response, text) {
  const url = new URL(request.url)
  return {
    scope: url.origin,
    method: request.method,
    path: url.pathname + url.search,
    body: request.body?.json,
    status: response.response.status,
    response: response.response.stream ? text : response.response.body.json,
    rawHeaders: { 'content-type': response.response.headers['content-type'] },
    responseIsBinary: false,
  }
}
