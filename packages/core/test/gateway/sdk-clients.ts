/**
 * The real SDK clients, pointed at a gateway, each asking the same small
 * conversation buffered and streamed: what the gateway tests record and replay.
 */
import Anthropic from '@anthropic-ai/sdk'
import { GoogleGenAI } from '@google/genai'
import OpenAI from 'openai'

/** A key only the fake accepts: it must never appear in an artifact or a log line. */
export const CANARY = 'sk-proj-CANARYcanary0123456789abcdefXYZ'
export const ANTHROPIC_CANARY = 'sk-ant-api03-CANARYcanary0123456789abcdefXYZ'

export interface Outputs {
  [name: string]: unknown
}

/** Every SDK call through `gateway`, in order; returns what each client got. */
export async function runClients(gateway: string): Promise<Outputs> {
  const openai = new OpenAI({ baseURL: `${gateway}/v1`, apiKey: CANARY, maxRetries: 0 })
  const anthropic = new Anthropic({
    baseURL: gateway,
    apiKey: ANTHROPIC_CANARY,
    maxRetries: 0,
    defaultHeaders: { 'anthropic-beta': 'replaykit-test-2026' },
  })
  const gemini = new GoogleGenAI({
    apiKey: 'AIzaCANARYcanary0123456789abcdefghijklm',
    httpOptions: { baseUrl: gateway },
  })
  const out: Outputs = {}
  const chat = await openai.chat.completions.create({
    model: 'gpt-4o',
    messages: [{ role: 'user', content: 'hello chat' }],
  })
  out.chat = chat.choices[0]?.message.content
  let streamed = ''
  const chatStream = await openai.chat.completions.create({
    model: 'gpt-4o',
    messages: [{ role: 'user', content: 'hello stream' }],
    stream: true,
  })
  for await (const chunk of chatStream) streamed += chunk.choices[0]?.delta.content ?? ''
  out.chatStream = streamed
  const response = await openai.responses.create({ model: 'gpt-5', input: 'hello responses' })
  out.responses = response.output_text
  let responsesStream = ''
  const events = await openai.responses.create({
    model: 'gpt-5',
    input: 'weather in Paris?',
    stream: true,
    tools: [weatherTool],
  })
  for await (const event of events) {
    if (event.type === 'response.function_call_arguments.done') responsesStream += event.arguments
  }
  out.responsesStream = responsesStream
  const message = await anthropic.messages.create({
    model: 'claude-test',
    max_tokens: 64,
    messages: [{ role: 'user', content: 'hello claude' }],
  })
  out.messages = message.content
  const stream = anthropic.messages.stream({
    model: 'claude-test',
    max_tokens: 64,
    messages: [{ role: 'user', content: 'hello claude stream' }],
  })
  out.messagesStream = (await stream.finalMessage()).content
  const generated = await gemini.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hello gemini' })
  out.gemini = generated.text
  let geminiStream = ''
  for await (const chunk of await gemini.models.generateContentStream({
    model: 'gemini-2.5-flash',
    contents: 'hello gemini stream',
  }))
    geminiStream += chunk.text ?? ''
  out.geminiStream = geminiStream
  return out
}

const weatherTool = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'weather of a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: false,
}
