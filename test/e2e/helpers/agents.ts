/**
 * The code under test in the temporary projects: small tool-loop agents on the
 * real SDKs, talking to the fake provider named by FAKE_URL.
 */

/** An OpenAI chat-completions agent with a get_weather tool (TypeScript, ESM). */
export const OPENAI_AGENT = `import OpenAI from 'openai'

const tools = [
  {
    type: 'function' as const,
    function: {
      name: 'get_weather',
      description: 'Current weather for a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
]

export async function askAgent(question: string, system = process.env.AGENT_SYSTEM ?? 'You are a weather assistant.'): Promise<string> {
  const client = new OpenAI({ baseURL: \`\${process.env.FAKE_URL}/v1\`, apiKey: 'test-key', maxRetries: 0 })
  const messages: any[] = [
    { role: 'system', content: system },
    { role: 'user', content: question },
  ]
  for (let turn = 0; turn < 4; turn++) {
    const res = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, tools })
    const message = res.choices[0]!.message
    if (!message.tool_calls?.length) return message.content ?? ''
    messages.push(message)
    for (const call of message.tool_calls) {
      const args = JSON.parse((call as any).function.arguments)
      messages.push({ role: 'tool', tool_call_id: call.id, content: \`12°C and cloudy in \${args.city}\` })
    }
  }
  throw new Error('the agent did not finish in 4 turns')
}

/** Burn CPU for \`ms\` milliseconds: the code's own time, for the slowdown gate. */
export function busy(ms: number): void {
  const end = performance.now() + ms
  while (performance.now() < end) {}
}
`

/** An Anthropic messages agent with a get_weather tool (CommonJS). */
export const ANTHROPIC_AGENT = `const Anthropic = require('@anthropic-ai/sdk')

const tools = [
  {
    name: 'get_weather',
    description: 'Current weather for a city',
    input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
]

async function askAgent(question, system = process.env.AGENT_SYSTEM || 'You are a weather assistant.') {
  const AnthropicClient = Anthropic.default || Anthropic
  const client = new AnthropicClient({ baseURL: process.env.FAKE_URL, apiKey: 'test-key', maxRetries: 0 })
  const messages = [{ role: 'user', content: question }]
  for (let turn = 0; turn < 4; turn++) {
    const res = await client.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 512, system, messages, tools })
    const calls = res.content.filter((block) => block.type === 'tool_use')
    if (calls.length === 0) return res.content.filter((b) => b.type === 'text').map((b) => b.text).join('')
    messages.push({ role: 'assistant', content: res.content })
    messages.push({
      role: 'user',
      content: calls.map((call) => ({ type: 'tool_result', tool_use_id: call.id, content: '12°C and cloudy in ' + call.input.city })),
    })
  }
  throw new Error('the agent did not finish in 4 turns')
}

function busy(ms) {
  const end = performance.now() + ms
  while (performance.now() < end) {}
}

module.exports = { askAgent, busy }
`
