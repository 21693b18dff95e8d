/**
 * Contender: no interception at all, the SDK talking to the live local fake
 * over loopback (the fake runs in the bench's main process).
 */
import { ask, makeClient } from '../lib/openai-ask.mjs'

export async function setup({ origin, stream }) {
  const client = makeClient(origin)
  return { iteration: () => ask(client, stream) }
}
