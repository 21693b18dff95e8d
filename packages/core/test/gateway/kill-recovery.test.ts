/**
 * `kill -9` of a listener during 32 concurrent streams: the artifact it leaves
 * loads, every exchange completed well before the kill is in it, each recorded
 * exchange is whole, and it replays. Runs the built package in a child process
 * (`npm run build` first: the e2e tests need it too), as the CLI's background listener does.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type FakeProvider, startFakeProvider } from '../../../../test/utils/fake-provider.js'
import { startGateway } from '../../src/public/gateway.js'
import { JournalStore } from '../../src/store/journal-store.js'
import { spawnBuiltGateway } from './built-gateway.js'

let dir: string
let fake: FakeProvider
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-gateway-kill-'))
  fake = await startFakeProvider({ eventDelayMs: 3 })
})
afterAll(async () => {
  await fake.close()
  rmSync(dir, { recursive: true, force: true })
})

function ask(url: string, i: number): Promise<string> {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-replaykit-session': `client-${i % 32}` },
    body: JSON.stringify({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: `question ${i}` }] }),
  }).then((response) => response.text())
}

it('kill -9 during 32 concurrent streams leaves a loadable, replayable artifact', async () => {
  const out = join(dir, 'killed.rpk')
  const { child, url } = await spawnBuiltGateway(out, `${fake.url}/v1`)
  const finished: { i: number; at: number; text: string }[] = []
  let next = 0
  const lanes = Array.from({ length: 32 }, async () => {
    while (next < 32 * 20) {
      const i = next++
      try {
        const text = await ask(url, i)
        finished.push({ i, at: performance.now(), text })
      } catch {
        return
      }
    }
  })
  // Kill in the middle of the session, streams in flight.
  while (finished.length < 200) await new Promise((resolve) => setTimeout(resolve, 5))
  const killedAt = performance.now()
  child.kill('SIGKILL')
  await Promise.allSettled(lanes)

  const file = new JournalStore(out, { onWarning: () => {} }).read()
  const steps = Object.values(file?.runs ?? {}).flatMap((run) => run.steps)
  const requests = steps.filter((step) => step.kind === 'model.request')
  const responses = steps.filter((step) => step.kind === 'model.response')
  // Each recorded exchange is whole.
  expect(responses.length).toBe(requests.length)
  const recorded = new Set(
    requests.map((step) => (step.kind === 'model.request' ? JSON.stringify(step.request.body) : '')),
  )
  // Every exchange its client had finished 100 ms before the kill is in the artifact.
  const settled = finished.filter((each) => each.at < killedAt - 100)
  expect(settled.length).toBeGreaterThan(100)
  for (const { i } of settled) {
    const body = { json: { model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: `question ${i}` }] } }
    expect(recorded.has(JSON.stringify(body))).toBe(true)
  }
  // And it replays, with the fake out of the way.
  const replay = await startGateway({ replay: out })
  const first = settled[0] as { i: number; text: string }
  expect(await ask(replay.url, first.i)).toBe(first.text)
  const summary = await replay.close()
  expect(summary.errors).toBe(0)
})
