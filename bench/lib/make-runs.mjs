/**
 * Synthetic but realistic recordings for the artifact and diff benchmarks:
 * OpenAI chat exchanges turned into steps by the engine's own
 * `exchangeSteps`, so the steps have the shape real recordings have (model
 * request with messages, model response with text and usage, one exchange in
 * ten streamed).
 */
import { exchangeSteps } from '@replaykit/core/engine'

const ORIGIN = 'https://api.openai.com'

/**
 * One run of `steps` steps (two per exchange).
 *
 * @param {number} steps
 * @param {{ name?: string, streamEvery?: number, salt?: string }} [options]
 */
export function makeRun(steps, options = {}) {
  const out = []
  const exchanges = Math.ceil(steps / 2)
  for (let i = 0; i < exchanges; i++) {
    const stream = options.streamEvery !== undefined && i % options.streamEvery === options.streamEvery - 1
    out.push(
      ...exchangeSteps({
        request: chatRequest(i, stream, options.salt ?? ''),
        response: stream ? streamedResponse(i) : bufferedResponse(i),
        correlationId: `x${i + 1}`,
        seq: out.length,
        timing: { startMs: i * 3.25, durationMs: 2.5 },
      }),
    )
  }
  return {
    name: options.name ?? 'agent answers',
    index: 1,
    steps: out.slice(0, steps),
    outcome: { type: 'return', value: `answer ${exchanges}` },
    timing: { totalMs: exchanges * 3.25, networkMs: exchanges * 2.5, ownMs: exchanges * 0.75 },
  }
}

/** `count` runs of `stepsPerRun` steps each, keyed like a `.rpk` file's runs. */
export function makeRuns(count, stepsPerRun) {
  const runs = {}
  for (let r = 0; r < count; r++) {
    const name = `agent suite > scenario ${r + 1}`
    runs[`${name} 1`] = makeRun(stepsPerRun, { name, streamEvery: 10, salt: `s${r}` })
  }
  return runs
}

function chatRequest(i, stream, salt) {
  const body = {
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: 'You are a helpful travel agent. Answer briefly and use the tools when needed.' },
      { role: 'user', content: `Plan step ${i}${salt}: what is the weather in city ${i % 50} tomorrow?` },
    ],
    temperature: 0,
  }
  if (stream) body.stream = true
  return {
    method: 'POST',
    url: `${ORIGIN}/v1/chat/completions`,
    headers: { authorization: '[REDACTED:authorization]', 'content-type': 'application/json' },
    body: { json: body },
  }
}

function bufferedResponse(i) {
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: {
      json: {
        id: `chatcmpl-${i}`,
        object: 'chat.completion',
        created: 1_763_900_000,
        model: 'gpt-4o-mini',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: `Tomorrow in city ${i % 50}: 12°C and cloudy.`, refusal: null },
            finish_reason: 'stop',
          },
        ],
        usage: { prompt_tokens: 41, completion_tokens: 12, total_tokens: 53 },
      },
    },
  }
}

function streamedResponse(i) {
  const words = `Tomorrow in city ${i % 50} it will be 12°C and cloudy with light wind from the west.`.split(/(?<= )/)
  const chunk = (delta, finish = null) => ({
    json: {
      id: `chatcmpl-${i}`,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta, finish_reason: finish }],
    },
  })
  const events = [
    chunk({ role: 'assistant', content: '' }),
    ...words.map((w) => chunk({ content: w })),
    chunk({}, 'stop'),
  ]
  events.push({ data: '[DONE]' })
  return {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8' },
    stream: { format: 'sse', events: events.map((e, k) => ({ ...e, atMs: k * 1.5 })), completion: 'clean' },
  }
}
