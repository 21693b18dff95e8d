/**
 * Contender: a hand-written MSW 3 handler (`setupServer`, listening for the
 * whole file as users do in `beforeAll`) answering the recorded bodies by
 * question, as a user's handler for several questions does: JSON with
 * `HttpResponse.json`, a stream as a ReadableStream of the recorded events.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { ask, makeClient } from '../lib/openai-ask.mjs'
import { rotation } from '../lib/rotation.mjs'

export async function setup({ origin, dir, name, stream, count = 1, concurrency = 1 }) {
  const bodies = JSON.parse(readFileSync(join(dir, 'msw-bodies.json'), 'utf8'))[name]
  const encoder = new TextEncoder()
  const server = setupServer(
    http.post('*/chat/completions', async ({ request }) => {
      const body = await request.json()
      const answer = bodies[body.messages.at(-1).content]
      if (!body.stream) return HttpResponse.json(JSON.parse(answer.text))
      const events = answer.text.split(/(?<=\n\n)/)
      const readable = new ReadableStream({
        start(controller) {
          for (const event of events) controller.enqueue(encoder.encode(event))
          controller.close()
        },
      })
      return new HttpResponse(readable, { headers: { 'content-type': answer.contentType } })
    }),
  )
  server.listen({ onUnhandledFrame: 'error' })
  const client = makeClient(origin)
  return {
    iteration: rotation({ count, concurrency }, (question) => ask(client, stream, 'gpt-fake', question)),
    teardown: () => server.close(),
  }
}
