/**
 * `kill -9` of the listener in the middle of 32 concurrent streams × 20 requests (issue 13,
 * Lifecycle): the `.rpk` it was writing still loads (`replaykit inspect`), holds every exchange
 * whose stream the client got whole, and a listener in replay mode answers each of them with the
 * same text and no upstream request. What was in flight at the kill is not lost: `listen status`
 * finds the killed listener and writes each such exchange into the artifact as interrupted, and a
 * replay never answers one as if it were complete.
 */

import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type FakeProvider, startFakeProvider } from '../utils/fake-provider.js'
import { CLI, listenerOf } from './helpers/listener.js'
import { createProject, type TempProject } from './helpers/project.js'

let project: TempProject
let fake: FakeProvider

beforeAll(async () => {
  project = createProject({
    name: 'gateway-kill',
    packageJson: { type: 'module' },
    packages: ['@replaykit/core', '@replaykit/cli'],
  })
  // Events 2 ms apart: streams are in flight when the listener dies.
  fake = await startFakeProvider({ eventDelayMs: 2 })
})

afterAll(async () => {
  await project?.run(CLI, ['listen', 'stop'])
  await fake?.close()
  project?.dispose()
})

/** One streamed chat completion; the assembled text, or undefined when the stream did not end whole. */
async function ask(url: string, question: string): Promise<string | undefined> {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test-key-for-the-fake-0000' },
    body: JSON.stringify({ model: 'gpt-fake', stream: true, messages: [{ role: 'user', content: question }] }),
  })
  if (res.status !== 200) return undefined
  const body = await res.text()
  if (!body.trimEnd().endsWith('data: [DONE]')) return undefined
  return body
    .split('\n')
    .filter((line) => line.startsWith('data: {'))
    .map((line) => JSON.parse(line.slice(6)).choices?.[0]?.delta?.content ?? '')
    .join('')
}

test('kill -9 during 32 concurrent streams × 20 requests: the artifact loads, replays, and holds every completed exchange', async () => {
  const listener = listenerOf(project)
  const rpk = join(project.dir, 'killed.rpk')
  const url = await listener.start(['--out', rpk, '--upstream', `openai=${fake.url}/v1`])
  const pid = listener.pid()

  const completed = new Map<string, string>()
  let killed = false
  const worker = async (w: number) => {
    for (let r = 0; r < 20; r++) {
      const question = `worker ${w} request ${r}`
      try {
        const text = await ask(url, question)
        if (text !== undefined) completed.set(question, text)
      } catch {
        return // the listener is gone
      }
      // Kill once about half of the 640 exchanges are done: the other streams are mid-flight.
      if (!killed && completed.size >= 320) {
        killed = true
        process.kill(pid, 'SIGKILL')
      }
    }
  }
  await Promise.all(Array.from({ length: 32 }, (_, w) => worker(w)))
  expect(killed).toBe(true)
  expect(completed.size).toBeGreaterThanOrEqual(320)
  expect(completed.size).toBeLessThan(640)

  // The listener is gone: `listen status` says so and writes what it had in flight into its artifact.
  const status = await listener.listen(['status'])
  expect(status.json, status.result.output).toMatchObject({ running: false, staleCleaned: true })
  const recovered = status.json.recovered as { artifact: string; interrupted: number }
  expect(recovered, JSON.stringify(status.json)).toMatchObject({ artifact: rpk })
  expect(recovered.interrupted, JSON.stringify(status.json)).toBeGreaterThan(0)

  // The file loads, and every exchange the client got whole is in it.
  const inspect = await project.run(CLI, ['inspect', rpk, '--json'])
  expect(inspect.code, inspect.output).toBe(0)
  const rows = (
    JSON.parse(inspect.stdout) as { runs: { timeline: { kind: string; call: string; text: string }[] }[] }
  ).runs.flatMap((run) => run.timeline)
  const questionOf = (text: string | undefined) => /worker \d+ request \d+/.exec(text ?? '')?.[0] ?? ''
  const prompts = new Set(rows.filter((row) => row.kind === 'model.request').map((row) => questionOf(row.text)))
  const missing = [...completed.keys()].filter((question) => !prompts.has(question))
  expect(missing).toEqual([])

  // Every request the listener sent upstream is either answered in the artifact or listed as interrupted
  // (its request, then an error.event RPK_GATEWAY_INTERRUPTED): none is lost, none both.
  const interrupted = rows.flatMap((row, i) =>
    row.kind === 'error.event' && row.call === 'RPK_GATEWAY_INTERRUPTED' ? [questionOf(rows[i - 1]?.text)] : [],
  )
  expect(interrupted).toHaveLength(recovered.interrupted)
  expect(interrupted.filter((question) => completed.has(question))).toEqual([])
  const answered = rows.filter((row) => row.kind === 'model.response').length
  expect(answered + interrupted.length).toBe(prompts.size)
  const sent = fake.requests.map((request) => questionOf(JSON.stringify(request.body)))
  expect(sent.filter((question) => !prompts.has(question))).toEqual([])

  // A new listener (the stale state of the killed one is cleaned) replays them all, offline.
  fake.reset()
  const replayUrl = await listener.start(['--replay', rpk, '--upstream', `openai=${fake.url}/v1`])
  const questions = [...completed.keys()]
  const replayed = new Map<string, string | undefined>()
  await Promise.all(
    Array.from({ length: 32 }, async (_, w) => {
      for (let i = w; i < questions.length; i += 32) replayed.set(questions[i]!, await ask(replayUrl, questions[i]!))
    }),
  )
  await listener.stop()
  expect(fake.requests).toEqual([])
  for (const [question, text] of completed) expect(replayed.get(question), question).toBe(text)
  // An interrupted exchange is never replayed as complete: it gets the failure it got (a 502).
  const again = await listener.start(['--replay', rpk, '--upstream', `openai=${fake.url}/v1`])
  expect(await ask(again, interrupted[0] as string)).toBeUndefined()
  await listener.stop()
  expect(fake.requests).toEqual([])
})
