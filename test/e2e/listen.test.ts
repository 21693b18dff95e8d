/**
 * `replaykit listen` as a user gets it: the packed @replaykit/core and
 * @replaykit/cli installed in a temp project outside the workspace. The real
 * OpenAI, Anthropic and Gemini SDKs, configured only by the environment that
 * `listen run` sets (OPENAI_BASE_URL, ANTHROPIC_BASE_URL,
 * GOOGLE_GEMINI_BASE_URL), reach the fake provider through the background
 * listener; the session is then replayed with the fake stopped.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type FakeProvider, startFakeProvider } from '../utils/fake-provider.js'
import { createProject, type TempProject } from './helpers/project.js'

const CLI = 'node_modules/@replaykit/cli/bin/replaykit.js'
const KEYS = {
  OPENAI_API_KEY: 'sk-proj-LISTENcanary0123456789abcdefXYZ',
  ANTHROPIC_API_KEY: 'sk-ant-api03-LISTENcanary0123456789abcdefXYZ',
  GEMINI_API_KEY: 'AIzaLISTENcanary0123456789abcdefghijklmn',
}

/** No base URL in the code: each SDK reads its variable. */
const CLIENT = `
import Anthropic from '@anthropic-ai/sdk'
import { GoogleGenAI } from '@google/genai'
import OpenAI from 'openai'

const openai = new OpenAI({ maxRetries: 0 })
const chat = await openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hello chat' }] })
let streamed = ''
const stream = await openai.responses.create({ model: 'gpt-5', input: 'hello responses', stream: true })
for await (const event of stream) if (event.type === 'response.output_text.delta') streamed += event.delta
const anthropic = new Anthropic({ maxRetries: 0 })
const message = await anthropic.messages.create({ model: 'claude-test', max_tokens: 64, messages: [{ role: 'user', content: 'hello claude' }] })
const gemini = new GoogleGenAI({ apiKey: process.env.GEMINI_API_KEY })
const generated = await gemini.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hello gemini' })
console.log(JSON.stringify({ chat: chat.choices[0].message.content, streamed, claude: message.content[0].text, gemini: generated.text }))
`

let project: TempProject
let fake: FakeProvider | undefined

beforeAll(async () => {
  project = createProject({
    name: 'listen',
    packageJson: { type: 'module' },
    packages: ['@replaykit/core', '@replaykit/cli'],
  })
  project.write('client.mjs', CLIENT)
  fake = await startFakeProvider()
})
afterAll(async () => {
  await fake?.close()
  project?.dispose()
})

test('listen run records the SDKs routed by its env, then replays them with the upstream gone', async () => {
  if (!fake) throw new Error('the fake provider did not start')
  const upstreams = [
    '--upstream',
    `openai=${fake.url}/v1`,
    '--upstream',
    `anthropic=${fake.url}`,
    '--upstream',
    `gemini=${fake.url}`,
  ]
  const live = await project.run(
    CLI,
    ['listen', 'run', '--out', 'session.rpk', ...upstreams, '--', process.execPath, 'client.mjs'],
    KEYS,
  )
  expect(live.code, live.output).toBe(0)
  const answers = JSON.parse(live.stdout) as Record<string, string>
  expect(answers.chat).toContain('hello chat')
  expect(answers.claude).toContain('hello claude')
  expect(answers.gemini).toContain('hello gemini')
  expect(fake.requests.map((request) => request.path.split('?')[0])).toEqual([
    '/v1/chat/completions',
    '/v1/responses',
    '/v1/messages',
    // @google/genai picks the API version; the gateway routes Gemini by the `:generateContent` verb.
    expect.stringMatching(/^\/v1\w*\/models\/gemini-2\.5-flash:generateContent$/),
  ])
  expect(live.stderr).toContain('replaykit: stopped the listener')
  const artifact = project.read('session.rpk')
  for (const key of Object.values(KEYS)) expect(artifact).not.toContain(key)

  await fake.close()
  fake = undefined
  const replayed = await project.run(
    CLI,
    ['listen', 'run', '--replay', 'session.rpk', '--json', '--', process.execPath, 'client.mjs'],
    KEYS,
  )
  expect(replayed.code, replayed.output).toBe(0)
  expect(replayed.stdout).toBe(live.stdout)
  const summary = JSON.parse(replayed.stderr.slice(replayed.stderr.indexOf('{'))) as Record<string, unknown>
  expect(summary).toMatchObject({
    command: 'listen run',
    mode: 'replay-strict',
    requests: 4,
    errors: 0,
    programExitCode: 0,
  })

  const inspected = await project.run(CLI, ['inspect', 'session.rpk'], {})
  expect(inspected.code, inspected.output).toBe(0)
  const status = await project.run(CLI, ['listen', 'status', '--json'], {})
  expect(JSON.parse(status.stdout)).toMatchObject({ running: false })
})
