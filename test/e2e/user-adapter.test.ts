/**
 * A user's provider adapter, registered in a Jest setup file (which runs inside the test
 * file's sandbox), reaches the engine that runs outside it: the packed packages, the real
 * `jest` binary, and a stand-in Ollama server over loopback.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type FakeOllama, startFakeOllama } from '../utils/fake-ollama.js'
import { createProject, type RunResult, type TempProject } from './helpers/project.js'

let ollama: FakeOllama
let project: TempProject

const JEST = 'node_modules/jest/bin/jest.js'

// The smallest adapter that keeps the contract, in the CommonJS a Jest project writes.
const ADAPTER = `const text = (body) => (body && 'json' in body ? body.json : {})
exports.ollamaAdapter = {
  provider: 'ollama',
  endpointFor: (method, path) => (method === 'POST' && path.endsWith('/api/chat') ? 'chat' : undefined),
  summarizeRequest: (_endpoint, request) => ({ stream: false, toolResults: [], model: String(text(request.body).model) }),
  summarizeResponse: (_endpoint, response) => {
    const message = text(response.body)?.message
    return typeof message?.content === 'string' ? { text: message.content } : {}
  },
  refusalBody: (_endpoint, message) => ({ error: message }),
  promptText: (_endpoint, request) => text(request.body).messages?.at(-1)?.content,
  fields: { prompt: ['messages'], tools: ['tools'], toolCalls: ['tool_calls'] },
}
`

const TEST = `const { capture } = require('@replaykit/jest')

async function chat(content) {
  const response = await fetch(process.env.OLLAMA_URL + '/api/chat', {
    method: 'POST',
    body: JSON.stringify({ model: 'llama-fake', stream: false, messages: [{ role: 'user', content }] }),
  })
  const body = await response.json()
  // The ollama client's way: a failure status carries { error: string }.
  if (!response.ok) throw new Error('ollama said: ' + body.error)
  return body.message.content
}

test('chats', async () => {
  const run = await capture(() => chat(process.env.QUESTION || 'hi'))
  if (run.threw) console.log('the client threw: ' + run.error.message)
  expect(run).toMatchReplay()
})
`

beforeAll(async () => {
  ollama = await startFakeOllama()
  project = createProject({
    name: 'jest-user-adapter',
    packageJson: {
      devDependencies: { jest: '^30.5.2', '@replaykit/jest': '0.1.0' },
      jest: { preset: '@replaykit/jest', setupFilesAfterEnv: ['@replaykit/jest/setup', '<rootDir>/jest.setup.js'] },
    },
    packages: ['@replaykit/core', '@replaykit/jest'],
  })
  project.write('ollama-adapter.js', ADAPTER)
  project.write(
    'jest.setup.js',
    `const { registerAdapter } = require('@replaykit/jest')\nregisterAdapter(require('./ollama-adapter.js').ollamaAdapter)\n`,
  )
  project.write('test/chat.test.js', TEST)
})

afterAll(async () => {
  project?.dispose()
  await ollama?.close()
})

function jest(env: Record<string, string> = {}): Promise<RunResult> {
  return project.run(JEST, ['--no-cache', 'test/chat.test.js'], { OLLAMA_URL: ollama.url, ...env })
}

test('the recording has model steps under the registered provider', async () => {
  const result = await jest()
  expect(result.code, result.output).toBe(0)
  const runs = JSON.parse(project.read('test/__snapshots__/chat.test.js.rpk')).runs
  expect(
    runs['chats 1'].steps.map((step: { kind: string; provider?: string }) => `${step.kind} ${step.provider}`),
  ).toEqual(['model.request ollama', 'model.response ollama'])
  expect(runs['chats 1'].steps[1].text).toBe('echo: hi')
})

test("a strict miss is refused in the adapter's error shape", async () => {
  const result = await jest({ CI: 'true', QUESTION: 'something else' })
  expect(result.code).toBe(1)
  expect(result.output).toContain(
    'the client threw: ollama said: [ReplayKit] strict replay: no recorded response matches POST',
  )
})
