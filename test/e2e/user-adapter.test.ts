/**
 * A user's provider adapter, registered in a setup file, reaches the engine: under Jest the
 * setup file runs inside the test file's sandbox and the engine outside it; under Vitest the
 * setup file runs again for every test file. The packed packages, the real `jest` and `vitest`
 * binaries, and a stand-in Ollama server over loopback.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type FakeOllama, startFakeOllama } from '../utils/fake-ollama.js'
import { createProject, type RunResult, type TempProject } from './helpers/project.js'
import { useVitestProject } from './helpers/vitest-project.js'

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

describe('Jest', () => {
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
})

describe('Vitest', () => {
  const e2e = useVitestProject('vitest-user-adapter')
  const chatTest = (name: string): string => `import { capture } from '@replaykit/vitest'
import { expect, test } from 'vitest'

test('${name}', async () => {
  const run = await capture(async () => {
    const response = await fetch(process.env.OLLAMA_URL + '/api/chat', {
      method: 'POST',
      body: JSON.stringify({ model: 'llama-fake', stream: false, messages: [{ role: 'user', content: '${name}' }] }),
    })
    return (await response.json()).message.content
  })
  expect(run).toMatchReplay()
})
`

  test("a setup file that runs again for each test file: every file's captures use the adapter", async () => {
    const { project } = e2e
    project.write('ollama-adapter.js', ADAPTER.replace('exports.ollamaAdapter =', 'export const ollamaAdapter ='))
    project.write(
      'replaykit.setup.ts',
      `import { registerAdapter } from '@replaykit/vitest'\nimport { ollamaAdapter } from './ollama-adapter.js'\nregisterAdapter(ollamaAdapter)\n`,
    )
    project.write(
      'vitest.config.ts',
      `import replaykit from '@replaykit/vitest'
import { defineConfig } from 'vitest/config'
export default defineConfig({ plugins: [replaykit()], test: { setupFiles: ['./replaykit.setup.ts'], maxWorkers: 1 } })
`,
    )
    project.write('test/a.test.ts', chatTest('first'))
    project.write('test/b.test.ts', chatTest('second'))
    const result = await e2e.vitest([], { OLLAMA_URL: ollama.url })
    expect(result.code, result.output).toBe(0)
    for (const name of ['a', 'b']) {
      const runs = JSON.parse(project.read(`test/__snapshots__/${name}.test.ts.rpk`)).runs
      const steps = Object.values(runs as Record<string, { steps: Array<{ kind: string; provider?: string }> }>)[0]
        ?.steps
      expect(steps?.map((step) => `${step.kind} ${step.provider}`)).toEqual([
        'model.request ollama',
        'model.response ollama',
      ])
    }
  })
})
