/**
 * Contender: `@copilotkit/aimock`, an LLM mock server on a real loopback port
 * with one fixture per question (`onMessage(question, { content })`, the
 * recorded answer text), started in the worker as its Vitest/Jest helpers
 * start it. The SDK talks HTTP to it; aimock makes the stream's chunks itself.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { LLMock } from '@copilotkit/aimock'
import { ask, makeClient } from '../lib/openai-ask.mjs'
import { rotation } from '../lib/rotation.mjs'

export async function setup({ dir, name, stream, count = 1, concurrency = 1 }) {
  const bodies = JSON.parse(readFileSync(join(dir, 'msw-bodies.json'), 'utf8'))[name]
  const mock = new LLMock({ port: 0, logLevel: 'silent' })
  for (const [question, body] of Object.entries(bodies)) mock.onMessage(question, { content: body.answer })
  await mock.start()
  const client = makeClient(mock.url)
  return {
    iteration: rotation({ count, concurrency }, (question) => ask(client, stream, 'gpt-fake', question)),
    teardown: () => mock.stop(),
  }
}
