/**
 * The client code every contender of the SDK benchmarks runs: one chat
 * completion through the real `openai` SDK, buffered or streamed, returning
 * the answer text (so a wrong or empty answer is caught, not timed).
 */
import OpenAI from 'openai'

/** The request every contender sends by default: the recording, the MSW bodies and the nock fixture are made from it. */
export const QUESTION = 'What is the weather in Oslo today?'

/**
 * The questions of the per-request workload (benchmark 1): distinct, as a test
 * file's tests are, so every contender has to find the answer to this one. No
 * question is a substring of another (aimock matches `userMessage` by substring).
 */
export const questions = (count) =>
  Array.from({ length: count }, (_, i) => `Weather in city ${i + 1}, question ${i + 1}?`)

/**
 * @param {string} origin
 * @param {{ lateFetch?: boolean }} [options] `lateFetch`: call whatever `globalThis.fetch` is at the time of
 *   the request. The SDK keeps the fetch it found when it was made; Polly's fetch adapter replaces
 *   `globalThis.fetch` per test, after the client exists.
 */
export function makeClient(origin, options = {}) {
  // No retries: a refused or unmatched request must fail the benchmark, not be retried with backoff.
  return new OpenAI({
    apiKey: 'sk-bench-not-a-key',
    baseURL: `${origin}/v1`,
    maxRetries: 0,
    ...(options.lateFetch ? { fetch: (url, init) => globalThis.fetch(url, init) } : {}),
  })
}

/**
 * @param {OpenAI} client
 * @param {boolean} stream
 * @param {string} [model]
 * @param {string} [question]
 */
export async function ask(client, stream, model = 'gpt-fake', question = QUESTION) {
  const messages = [
    { role: 'system', content: 'You are a terse weather assistant.' },
    { role: 'user', content: question },
  ]
  if (!stream) {
    const completion = await client.chat.completions.create({ model, messages })
    return expectText(completion.choices[0]?.message?.content)
  }
  const chunks = await client.chat.completions.create({ model, messages, stream: true })
  let text = ''
  for await (const chunk of chunks) text += chunk.choices[0]?.delta?.content ?? ''
  return expectText(text)
}

function expectText(text) {
  if (typeof text !== 'string' || !text.includes('42')) {
    throw new Error(`the SDK returned an unexpected answer: ${JSON.stringify(text)?.slice(0, 200)}`)
  }
  return text
}
