/**
 * Contender: Polly.js (`@pollyjs/core` with its fetch adapter and fs
 * persister) replaying the same exchanges from its HAR recordings, made in
 * setup against the live fake (untimed). One request is one Polly instance
 * (`new Polly(name)` … `stop()`, what a test using Polly's per-test setup
 * pays) around one SDK call. Twenty concurrent requests share one instance:
 * Polly patches the global `fetch`, so instances cannot overlap.
 *
 * Matching ignores headers and order (Polly's defaults would refuse the
 * second identical request): the request is matched by method, URL and body.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import FetchAdapter from '@pollyjs/adapter-fetch'
import { Polly } from '@pollyjs/core'
import FSPersister from '@pollyjs/persister-fs'
import { ask, makeClient, questions } from '../lib/openai-ask.mjs'
import { rotation } from '../lib/rotation.mjs'

Polly.register(FetchAdapter)
Polly.register(FSPersister)

export async function setup({ origin, dir, name, stream, count = 1, concurrency = 1 }) {
  const recordingsDir = join(dir, 'polly')
  const config = (mode) => ({
    adapters: ['fetch'],
    adapterOptions: { fetch: { context: globalThis } },
    persister: 'fs',
    persisterOptions: { fs: { recordingsDir } },
    mode,
    recordIfMissing: false,
    matchRequestsBy: { headers: false, order: false },
    logLevel: 'silent',
  })
  const client = makeClient(origin, { lateFetch: true })
  const all = `${name}-all`
  // Record once per folder (the buffered and streamed workers record under different names).
  const marker = join(recordingsDir, `.recorded-${name}-${count}`)
  if (!existsSync(marker)) {
    for (const [i, question] of questions(count).entries()) {
      const polly = new Polly(`${name}-${i + 1}`, config('record'))
      await ask(client, stream, 'gpt-fake', question)
      await polly.stop()
    }
    const polly = new Polly(all, config('record'))
    for (const question of questions(count)) await ask(client, stream, 'gpt-fake', question)
    await polly.stop()
    mkdirSync(recordingsDir, { recursive: true })
    writeFileSync(marker, '')
  }
  if (concurrency === 1) {
    return {
      iteration: rotation({ count }, async (question, index) => {
        const polly = new Polly(`${name}-${index}`, config('replay'))
        try {
          await ask(client, stream, 'gpt-fake', question)
        } finally {
          await polly.stop()
        }
      }),
    }
  }
  const some = rotation({ count, concurrency }, (question) => ask(client, stream, 'gpt-fake', question))
  return {
    async iteration() {
      const polly = new Polly(all, config('replay'))
      try {
        await some()
      } finally {
        await polly.stop()
      }
    },
  }
}
