/**
 * Contender: no interception at all, the SDK talking to the live local fake
 * over loopback (the fake runs in the bench's main process).
 */
import { ask, makeClient } from '../lib/openai-ask.mjs'
import { rotation } from '../lib/rotation.mjs'

export async function setup({ origin, stream, count = 1, concurrency = 1 }) {
  const client = makeClient(origin)
  return { iteration: rotation({ count, concurrency }, (question) => ask(client, stream, 'gpt-fake', question)) }
}
