/**
 * docs/providers.md shows test/docs/ollama-adapter.ts verbatim, and the example works as the
 * page says: registered, it turns a capture's Ollama calls into model steps under its name
 * (which a recording can hold), and a strict replay miss is answered in Ollama's error shape.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readRpkFile, registerAdapter, writeRpkFile } from '@replaykit/core'
import { runCapture } from '@replaykit/core/engine'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type FakeOllama, startFakeOllama } from '../utils/fake-ollama.js'
import { ollamaAdapter } from './ollama-adapter.js'

const ROOT = join(import.meta.dirname, '../..')

let ollama: FakeOllama
let unregister: () => void
beforeAll(async () => {
  ollama = await startFakeOllama()
  unregister = registerAdapter(ollamaAdapter)
})
afterAll(async () => {
  unregister()
  await ollama.close()
})

test('docs/providers.md includes the example adapter verbatim', () => {
  const doc = readFileSync(join(ROOT, 'docs/providers.md'), 'utf8')
  const example = readFileSync(join(ROOT, 'test/docs/ollama-adapter.ts'), 'utf8')
  expect(doc).toContain(`\`\`\`ts\n${example}\`\`\``)
})

/** What the `ollama` client does: POST /api/chat, throw the body's `error` on a failure status. */
async function ask(content: string, stream: boolean): Promise<string> {
  const response = await fetch(`${ollama.url}/api/chat`, {
    method: 'POST',
    body: JSON.stringify({ model: 'llama-fake', stream, messages: [{ role: 'user', content }] }),
  })
  if (!response.ok) throw new Error(`${response.status}: ${((await response.json()) as { error: string }).error}`)
  const lines = (await response.text()).split('\n').filter(Boolean)
  return lines.map((line) => (JSON.parse(line) as { message: { content: string } }).message.content).join('')
}

test('the registered example records model steps, and refuses a miss in its error shape', async () => {
  const recorded = await runCapture(async () => [await ask('hi', false), await ask('hello', true)], {
    mode: 'record',
    name: 'chat',
  })
  expect(recorded.value).toEqual(['echo: hi', 'echo: hello'])
  expect(recorded.run.steps.map((step) => `${step.kind} ${'provider' in step ? step.provider : ''}`)).toEqual([
    'model.request ollama',
    'model.response ollama',
    'model.request ollama',
    'model.response ollama',
  ])
  expect(recorded.run.steps[1]).toMatchObject({ text: 'echo: hi', finishReason: 'stop' })
  // The streamed answer is kept as NDJSON chunks and summarised like the buffered one.
  expect(recorded.run.steps[3]).toMatchObject({ text: 'echo: hello', finishReason: 'stop' })

  const file = join(mkdtempSync(join(tmpdir(), 'replaykit-')), 'chat.rpk')
  writeRpkFile(file, { runs: { 'chat 1': recorded.run } })
  const recording = readRpkFile(file)?.runs['chat 1']
  expect(recording?.steps[0]).toMatchObject({ provider: 'ollama', endpoint: 'chat', model: 'llama-fake' })

  const replayed = await runCapture(() => ask('something else', false), { mode: 'strict', recording })
  expect(replayed.threw).toBe(true)
  expect(String(replayed.error)).toMatch(/^Error: 400: \[ReplayKit\] strict replay: no recorded response matches POST/)
})
