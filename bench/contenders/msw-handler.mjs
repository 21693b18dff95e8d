/**
 * Contender: a hand-written MSW 3 handler (`setupServer`, listening for the
 * whole file as users do in `beforeAll`) answering the recorded bodies: JSON
 * with `HttpResponse.json`, a stream as a ReadableStream of the recorded events.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { ask, makeClient } from '../lib/openai-ask.mjs'

export async function setup({ origin, dir, name, stream }) {
  const body = JSON.parse(readFileSync(join(dir, 'msw-bodies.json'), 'utf8'))[name]
  const events = body.text.split(/(?<=\n\n)/)
  const encoder = new TextEncoder()
  const server = setupServer(
    http.post('*/chat/completions', () => {
      if (!stream) return HttpResponse.json(JSON.parse(body.text))
      const readable = new ReadableStream({
        start(controller) {
          for (const event of events) controller.enqueue(encoder.encode(event))
          controller.close()
        },
      })
      return new HttpResponse(readable, { headers: { 'content-type': body.contentType } })
    }),
  )
  server.listen({ onUnhandledFrame: 'error' })
  const client = makeClient(origin)
  return {
    iteration: () => ask(client, stream),
    teardown: () => server.close(),
  }
}
