import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeOpenAI } from './lib/fake-openai.mjs'

const mode = process.argv[2] ?? 'replay'
const stream = process.argv[3] === 'stream'
const fake = await startFakeOpenAI()
const dir = mkdtempSync(join(tmpdir(), 'prof-'))
const fixtures = await import('./contenders/record-fixtures.mjs')
await (await fixtures.setup({ origin: fake.url, dir })).measure()
const file = {
  mswpass: 'msw-passthrough',
  replay: 'replaykit-replay',
  record: 'replaykit-record',
  msw: 'msw-handler',
  live: 'live',
  nock: 'nock-back',
}[mode]
const c = await (await import(`./contenders/${file}.mjs`)).setup({
  origin: fake.url,
  dir,
  name: stream ? 'streamed' : 'buffered',
  stream,
})
for (let i = 0; i < 100; i++) await c.iteration()
const n = Number(process.env.N ?? 400)
const t0 = performance.now()
for (let i = 0; i < n; i++) await c.iteration()
console.log(mode, stream ? 'stream' : 'buffered', ((performance.now() - t0) / n).toFixed(3), 'ms/iter')
await c.teardown?.()
await fake.close()
