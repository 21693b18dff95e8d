/**
 * Contender: MSW intercepting every request and letting it through to the
 * live local fake (`passthrough()`), recording nothing. Against ReplayKit's
 * record mode this isolates what recording itself costs: both pay for the
 * interception, only one reads, redacts and stores the exchange.
 */
import { http, passthrough } from 'msw'
import { setupServer } from 'msw/node'
import { ask, makeClient } from '../lib/openai-ask.mjs'

export async function setup({ origin, stream }) {
  const server = setupServer(http.all('*', () => passthrough()))
  server.listen({ onUnhandledFrame: 'error' })
  const client = makeClient(origin)
  return {
    iteration: () => ask(client, stream),
    teardown: () => server.close(),
  }
}
