/**
 * A small tool-loop agent on the OpenAI SDK: ask the model, run the tools it
 * calls, send the results back, until it answers in text.
 */
import OpenAI from 'openai'
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions'
import { SYSTEM_PROMPT } from './prompt.js'
import { getWeather, weatherTool } from './tools.js'

// Recorded against the project's fake provider on this address; replays need no server at all.
const BASE_URL = process.env.OPENAI_BASE_URL ?? 'http://127.0.0.1:4010/v1'

export async function ask(question: string): Promise<string> {
  const client = new OpenAI({ baseURL: BASE_URL, apiKey: process.env.OPENAI_API_KEY ?? 'test-key', maxRetries: 0 })
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: question },
  ]
  for (let turn = 0; turn < 5; turn++) {
    const response = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, tools: [weatherTool] })
    const message = response.choices[0]?.message
    if (!message) throw new Error('the model sent no choice')
    if (!message.tool_calls?.length) return message.content ?? ''
    messages.push(message)
    for (const call of message.tool_calls) {
      if (call.type !== 'function') continue
      const { city } = JSON.parse(call.function.arguments) as { city: string }
      messages.push({ role: 'tool', tool_call_id: call.id, content: getWeather(city) })
    }
  }
  throw new Error('the agent did not answer within 5 turns')
}

/** The same question with a streamed final answer (server-sent events). */
export async function askStreaming(question: string): Promise<string> {
  const client = new OpenAI({ baseURL: BASE_URL, apiKey: process.env.OPENAI_API_KEY ?? 'test-key', maxRetries: 0 })
  const stream = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: question },
    ],
    stream: true,
  })
  let text = ''
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? ''
  return text
}
