/**
 * A small tool-loop agent on the Anthropic SDK: ask the model, run the tools it
 * calls, send the results back, until it answers in text.
 */
const Anthropic = require('@anthropic-ai/sdk')
const { SYSTEM_PROMPT } = require('./prompt.js')
const { getWeather, weatherTool } = require('./tools.js')

// Recorded against the project's fake provider on this address; replays need no server at all.
const BASE_URL = process.env.ANTHROPIC_BASE_URL ?? 'http://127.0.0.1:4010'

function client() {
  const Client = Anthropic.default ?? Anthropic
  return new Client({ baseURL: BASE_URL, apiKey: process.env.ANTHROPIC_API_KEY ?? 'test-key', maxRetries: 0 })
}

async function ask(question) {
  const anthropic = client()
  const messages = [{ role: 'user', content: question }]
  for (let turn = 0; turn < 5; turn++) {
    const response = await anthropic.messages.create({
      model: 'claude-sonnet-5-5',
      max_tokens: 512,
      system: SYSTEM_PROMPT,
      messages,
      tools: [weatherTool],
    })
    const calls = response.content.filter((block) => block.type === 'tool_use')
    if (calls.length === 0) {
      return response.content
        .filter((block) => block.type === 'text')
        .map((block) => block.text)
        .join('')
    }
    messages.push({ role: 'assistant', content: response.content })
    messages.push({
      role: 'user',
      content: calls.map((call) => ({
        type: 'tool_result',
        tool_use_id: call.id,
        content: getWeather(call.input.city),
      })),
    })
  }
  throw new Error('the agent did not answer within 5 turns')
}

/** The same question with a streamed answer (server-sent events). */
async function askStreaming(question) {
  const stream = client().messages.stream({
    model: 'claude-sonnet-5-5',
    max_tokens: 512,
    system: SYSTEM_PROMPT,
    messages: [{ role: 'user', content: question }],
  })
  const message = await stream.finalMessage()
  return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('')
}

module.exports = { ask, askStreaming }
