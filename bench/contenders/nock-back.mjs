/**
 * Contender: nock.back in lockdown mode replaying a fixture of the same
 * recorded exchange. One iteration is one `nock.back(fixture)` … `nockDone()`
 * around one SDK call: what one test using nock.back costs.
 */
import { join } from 'node:path'
import nock from 'nock'
import { ask, makeClient } from '../lib/openai-ask.mjs'

export async function setup({ origin, dir, name, stream }) {
  nock.back.fixtures = join(dir, 'nock')
  nock.back.setMode('lockdown')
  const client = makeClient(origin)
  return {
    async iteration() {
      const { nockDone, context } = await nock.back(`${name}.json`)
      await ask(client, stream)
      nockDone()
      context.assertScopesFinished()
    },
    teardown() {
      nock.restore()
    },
  }
}
