/**
 * Worker: record the SDK exchanges once with ReplayKit (record mode, against
 * the live fake) and write what every replay contender answers from, so they
 * all serve the same answers:
 * - `<dir>/replay.rpk`: the runs `buffered N` and `streamed N` (N = 1…count), for ReplayKit;
 * - `<dir>/msw-bodies.json`: the recorded response bodies (JSON, and SSE text) by mode and question,
 *   for the MSW handler; with the answer text, for aimock's fixtures;
 * - `<dir>/nock/<mode>-N.json`: nock.back fixtures of the same exchanges.
 * Polly records its own recordings of the same exchanges (contenders/polly.mjs).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { serializeSseEvent, writeRpkFile } from '@replaykit/core'
import { runCapture } from '@replaykit/core/engine'
import { ask, makeClient, questions } from '../lib/openai-ask.mjs'

export async function setup({ origin, dir, count = 1 }) {
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
        bodies[name] = {}
        for (const [i, question] of questions(count).entries()) {
          const index = i + 1
          const result = await runCapture(() => ask(client, stream, 'gpt-fake', question), {
            mode: 'record',
            name,
            index,
          })
          if (result.threw) throw result.error
          runs[`${name} ${index}`] = result.run
          const request = result.run.steps.find((step) => step.kind === 'model.request')
          const response = result.run.steps.find((step) => step.kind === 'model.response')
          if (!request || !response) throw new Error(`recording ${name}: no model.request/model.response step`)
          const text = responseText(response.response)
          bodies[name][question] = {
            contentType: response.response.headers['content-type'],
            text,
            answer: result.value,
          }
          writeFileSync(
            join(dir, 'nock', `${name}-${index}.json`),
            JSON.stringify([nockDefinition(request.request, response, text)]),
          )
        }
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
