/**
 * `promptText`: the last prompt message as one line of text, read by each built-in adapter from
 * its own conversation member (what `replaykit inspect` shows for a model request).
 */
import { expect, test } from 'vitest'
import type { Body, JsonValue } from '../../src/index.js'
import { anthropicAdapter, geminiAdapter, openaiAdapter, type ProviderAdapter } from '../../src/providers/index.js'

const request = (body?: Body) => ({ method: 'POST', url: 'http://127.0.0.1/x', headers: {}, ...(body ? { body } : {}) })
const read = (adapter: ProviderAdapter, endpoint: string, json: JsonValue): string | undefined =>
  adapter.promptText(endpoint, request({ json }))

test.each([
  [
    'chat: string content',
    openaiAdapter,
    'chat.completions',
    {
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'hi' },
      ],
    },
    'hi',
  ],
  [
    'chat: text parts',
    openaiAdapter,
    'chat.completions',
    {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'a' },
            { type: 'text', text: 'b' },
          ],
        },
      ],
    },
    'a b',
  ],
  ['responses: a string input', openaiAdapter, 'responses', { input: 'weather in Oslo?' }, 'weather in Oslo?'],
  [
    'responses: input items',
    openaiAdapter,
    'responses',
    { input: [{ role: 'user', content: [{ type: 'input_text', text: 'hi' }] }] },
    'hi',
  ],
  [
    'anthropic: content blocks',
    anthropicAdapter,
    'messages',
    { system: 's', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] },
    'hi',
  ],
  [
    'gemini: parts',
    geminiAdapter,
    'generateContent',
    { contents: [{ role: 'user', parts: [{ text: 'hi' }, { text: 'there' }] }] },
    'hi there',
  ],
  ['no conversation member', openaiAdapter, 'chat.completions', { model: 'gpt-4o' }, undefined],
  ['an empty conversation', anthropicAdapter, 'messages', { messages: [] }, undefined],
  ['not an object', geminiAdapter, 'generateContent', [1, 2], undefined],
])('%s', (_name, adapter, endpoint, json, expected) => {
  expect(read(adapter, endpoint, json as JsonValue)).toBe(expected)
})

test('a body that is not JSON has no prompt text (the timeline shows the body instead)', () => {
  for (const adapter of [openaiAdapter, anthropicAdapter, geminiAdapter]) {
    expect(adapter.promptText('x', request({ text: 'not json' }))).toBeUndefined()
    expect(adapter.promptText('x', request())).toBeUndefined()
  }
})
