/**
 * Contender: nock.back in lockdown mode replaying a fixture of the same
 * recorded exchange. One request is one `nock.back(fixture)` … `nockDone()`
 * around one SDK call: what one test using nock.back costs. nock.back keeps
 * one global fixture at a time, so it runs sequential requests only.
 */
import { join } from 'node:path'
import nock from 'nock'
import { ask, makeClient } from '../lib/openai-ask.mjs'
import { rotation } from '../lib/rotation.mjs'

export async function setup({ origin, dir, name, stream, count = 1 }) {
  nock.back.fixtures = join(dir, 'nock')
  nock.back.setMode('lockdown')
  const client = makeClient(origin)
  return {
    iteration: rotation({ count }, async (question, index) => {
      const { nockDone, context } = await nock.back(`${name}-${index}.json`)
      await ask(client, stream, 'gpt-fake', question)
      nockDone()
      context.assertScopesFinished()
    }),
    teardown() {
      nock.restore()
    },
  }
}
