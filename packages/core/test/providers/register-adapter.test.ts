/**
 * Adapters are registered, not a constant: a user's adapter is asked before the built-in ones,
 * replaces an earlier one of its name, can be removed, is checked for its shape with a typed
 * error, is shared with a Jest sandbox, and drives the steps, the refusal, the diff's sections
 * and the schema's idea of a provider.
 */
import { runInNewContext } from 'node:vm'
import { afterEach, describe, expect, test } from 'vitest'
import { ollamaAdapter } from '../../../../test/docs/ollama-adapter.js'
import { validateRpk } from '../../src/artifact/validate.js'
import { buildRpk } from '../../src/artifact/write.js'
import { compareRuns } from '../../src/diff/compare-runs.js'
import { exchangeSteps } from '../../src/engine/exchange-steps.js'
import { refusalResponse } from '../../src/engine/handle-request.js'
import { isReplayKitError, type Run, type Step } from '../../src/index.js'
import {
  adapterForProvider,
  adapters,
  findAdapter,
  openaiAdapter,
  type ProviderAdapter,
  registerAdapter,
  shareAdapters,
} from '../../src/providers/index.js'

const undo: Array<() => void> = []
afterEach(() => {
  for (const each of undo.splice(0).reverse()) each()
})
const register = (adapter: ProviderAdapter): void => {
  undo.push(registerAdapter(adapter))
}

const chat = { method: 'POST', url: 'http://127.0.0.1:11434/api/chat', headers: {} }

describe('registerAdapter', () => {
  test('a registered adapter is asked first, and only until it is removed', () => {
    expect(findAdapter('POST', chat.url)).toBeUndefined()
    const remove = registerAdapter(ollamaAdapter)
    expect(findAdapter('POST', chat.url)).toEqual({ adapter: ollamaAdapter, endpoint: 'chat' })
    expect(adapters()[0]).toBe(ollamaAdapter)
    expect(adapterForProvider('ollama')).toBe(ollamaAdapter)
    remove()
    expect(findAdapter('POST', chat.url)).toBeUndefined()
    expect(adapterForProvider('ollama')).toBeUndefined()
  })

  test("a user's adapter wins over a built-in one for the same path", () => {
    const gateway: ProviderAdapter = { ...openaiAdapter, provider: 'my-gateway' }
    register(gateway)
    expect(findAdapter('POST', 'http://127.0.0.1/v1/chat/completions')?.adapter).toBe(gateway)
    expect(
      adapters()
        .slice(-3)
        .map((adapter) => adapter.provider),
    ).toEqual(['openai', 'anthropic', 'gemini'])
  })

  test('registering a provider name again replaces the earlier adapter (a setup file run per test file)', () => {
    register({ ...ollamaAdapter })
    register({ ...ollamaAdapter })
    register(ollamaAdapter)
    expect(adapters().filter((adapter) => adapter.provider === 'ollama')).toEqual([ollamaAdapter])
    expect(adapters()[0]).toBe(ollamaAdapter)
  })

  test.each([
    ['not an object', 'ollama', /expected an adapter object, got "ollama"/],
    ['no provider', { ...ollamaAdapter, provider: undefined }, /provider must be a lower-case name/],
    ['a provider a recording cannot hold', { ...ollamaAdapter, provider: 'My Provider' }, /got "My Provider"/],
    [
      'a missing method',
      { ...ollamaAdapter, refusalBody: undefined },
      /ollama: refusalBody must be a function, got undefined/,
    ],
    [
      'a misspelt method',
      { ...ollamaAdapter, summarizeResponse: undefined, summariseResponse: () => ({}) },
      /summarizeResponse must be a function/,
    ],
    ['no fields', { ...ollamaAdapter, fields: undefined }, /fields must be \{prompt, tools, toolCalls\}/],
    [
      'a field list that is not strings',
      { ...ollamaAdapter, fields: { prompt: 'messages', tools: [], toolCalls: [] } },
      /fields.prompt must be an array of strings/,
    ],
  ])('refuses %s with RPK_BAD_ADAPTER naming the problem and the fix', (_name, value, problem) => {
    let error: unknown
    try {
      registerAdapter(value as unknown as ProviderAdapter)
    } catch (caught) {
      error = caught
    }
    expect(isReplayKitError(error) && error.code).toBe('RPK_BAD_ADAPTER')
    expect((error as Error).message).toMatch(problem)
    expect((error as Error).message).toContain('registerAdapter(adapter)')
    expect((error as Error).message).toContain('docs/providers.md')
    expect(adapters().map((adapter) => adapter.provider)).toEqual(['openai', 'anthropic', 'gemini'])
  })

  test('a Jest sandbox (another realm) registers into the list the engine asks, until the file ends', () => {
    const sandbox: Record<PropertyKey, unknown> = { registered: undefined }
    const end = shareAdapters(sandbox)
    // What `registerAdapter` does inside the sandbox: find the list on its own globalThis.
    runInNewContext('registered = globalThis[Symbol.for("replaykit.adapters")]', sandbox)
    ;(sandbox.registered as ProviderAdapter[]).unshift(ollamaAdapter)
    expect(findAdapter('POST', chat.url)?.adapter).toBe(ollamaAdapter)
    end()
    expect(findAdapter('POST', chat.url)).toBeUndefined()
    expect(sandbox[Symbol.for('replaykit.adapters')]).toBeUndefined()
  })
})

describe('a registered adapter drives what the engine makes', () => {
  const request = {
    ...chat,
    body: { json: { model: 'llama3', stream: false, messages: [{ role: 'user', content: 'hi' }] } },
  }
  const response = {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: { json: { message: { role: 'assistant', content: 'hello' }, done: true, done_reason: 'stop' } },
  }

  test('model steps under its provider name, which the schema accepts', () => {
    register(ollamaAdapter)
    const steps = exchangeSteps({ request, response, correlationId: 'x1', seq: 0 })
    expect(steps.map((step) => step.kind)).toEqual(['model.request', 'model.response'])
    expect(steps[0]).toMatchObject({ provider: 'ollama', endpoint: 'chat', model: 'llama3', stream: false })
    expect(steps[1]).toMatchObject({ provider: 'ollama', text: 'hello', finishReason: 'stop' })
    const run: Run = { name: 'chat', index: 1, steps, outcome: { type: 'return' } }
    expect(validateRpk(buildRpk({ runs: { 'chat 1': run } }))).toBeUndefined()
  })

  test('a refused request gets its error shape', async () => {
    register(ollamaAdapter)
    const refusal = refusalResponse(chat, 'no recorded response')
    expect(refusal.status).toBe(400)
    expect(refusal.headers.get('x-should-retry')).toBe('false')
    expect(await refusal.json()).toEqual({ error: 'no recorded response' })
  })

  test("the diff files a change under the section the provider's adapter names", () => {
    register({
      ...ollamaAdapter,
      provider: 'search-llm',
      fields: { prompt: ['query'], tools: ['skills'], toolCalls: [] },
    })
    const step = (body: Record<string, string>): Step => ({
      seq: 0,
      correlationId: 'x1',
      kind: 'model.request',
      provider: 'search-llm',
      endpoint: 'chat',
      stream: false,
      request: { ...chat, body: { json: body } },
    })
    const section = (before: Record<string, string>, after: Record<string, string>): string | undefined =>
      compareRuns(run(step(before)), run(step(after))).first?.section
    const run = (only: Step): Run => ({ name: 'chat', index: 1, steps: [only], outcome: { type: 'return' } })
    expect(section({ query: 'a' }, { query: 'b' })).toBe('prompt')
    expect(section({ skills: 'a' }, { skills: 'b' })).toBe('tool')
    expect(section({ temperature: 'a' }, { temperature: 'b' })).toBe('model')
  })
})
