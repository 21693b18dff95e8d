/**
 * The provider down: a live request whose connection is refused is recorded
 * as an `error.event` step naming the client's own error, and the warning a
 * new recording of it gets names the test, the request and that error, and
 * says that it became the baseline. Through the real OpenAI SDK and fetch,
 * against a port nothing listens on.
 *
 * @note Not port 1 (a test once used it for "down"): fetch refuses the Fetch
 * standard's bad ports itself, before any connection, so no request exists to
 * record; the warning then reads the SDK's `Connection error.` in the outcome.
 */
import net from 'node:net'
import OpenAI from 'openai'
import { beforeAll, expect, test } from 'vitest'
import { runCapture } from '../../src/public/engine.js'
import { failedCallWarnings } from '../../src/replay-matcher/recording-warnings.js'

let base = ''

beforeAll(async () => {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  base = `http://127.0.0.1:${port}`
})

test('the OpenAI SDK against a closed port: each attempt is an error.event with ECONNREFUSED, and the warning names it', async () => {
  const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'test-key', maxRetries: 0 })
  const ask = () =>
    client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Weather in Oslo?' }] })
      .catch((error: Error) => String(error))
  const recorded = await runCapture(ask, { mode: 'record' })
  expect(recorded.value).toBe('Error: Connection error.')
  const errors = recorded.run.steps.filter((step) => step.kind === 'error.event')
  expect(errors).toEqual([
    expect.objectContaining({ code: 'RPK_NO_RESPONSE', message: expect.stringContaining('connect ECONNREFUSED') }),
  ])
  const warning = failedCallWarnings(recorded.run, 'agent answers 1')
  expect(warning[0]).toBe(
    '[ReplayKit] The recording of "agent answers 1" holds 1 failed call(s); replays will repeat the failure as the baseline:',
  )
  expect(warning[1]).toMatch(
    new RegExp(
      `^ {2}- POST ${base}/v1/chat/completions: no response \\(no response: connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+`,
    ),
  )
})

test('fetch against a closed port: the error.event names ECONNREFUSED', async () => {
  const recorded = await runCapture(() => fetch(`${base}/weather?city=Oslo`), { mode: 'record' })
  expect(recorded.threw).toBe(true)
  const errors = recorded.run.steps.filter((step) => step.kind === 'error.event')
  expect(errors).toHaveLength(1)
  expect(errors[0]).toMatchObject({ code: 'RPK_NO_RESPONSE', message: expect.stringContaining('connect ECONNREFUSED') })
  expect(failedCallWarnings(recorded.run, 'weather 1')[1]).toContain(`GET ${base}/weather?city=Oslo: no response`)
})
