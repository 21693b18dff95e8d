/**
 * The upstream of the gateway benchmarks: a loopback fake of OpenAI chat completions that
 * answers JSON at once, or streams `events` SSE chunks `gapMs` apart (the first one as soon as
 * the headers are out), as a real provider paces tokens. The request's `model` carries the
 * shape: `bench-json`, or `bench-stream-<events>-<gapMs>`.
 *
 * @note Not bench/lib/fake-openai.mjs: that one writes a whole stream in one go, and time to
 * first byte and stalls need events that arrive over time.
 */
import { createServer } from 'node:http'

const STREAM = /^bench-stream-(\d+)-(\d+)$/

/** @returns {Promise<{ url: string, hits: () => number, close: () => Promise<void> }>} */
export async function startPacedUpstream() {
  let hits = 0
  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', (chunk) => chunks.push(chunk))
    req.on('end', () => {
      hits++
      let body = {}
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')
      } catch {}
      const model = String(body.model ?? 'bench-json')
      const stream = STREAM.exec(model)
      if (!stream) return sendJson(res, hits, model)
      void sendStream(res, hits, model, Number(stream[1]), Number(stream[2]))
    })
  })
  server.keepAliveTimeout = 60_000
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)))
  const address = server.address()
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    hits: () => hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve(undefined))
      }),
  }
}

function sendJson(res, n, model) {
  const text = JSON.stringify({
    id: `chatcmpl-bench-${n}`,
    object: 'chat.completion',
    created: 1_763_900_000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: 'The answer is 42.' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 },
  })
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) })
  res.end(text)
}

async function sendStream(res, n, model, events, gapMs) {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' })
  const chunk = (delta, finish = null) =>
    `data: ${JSON.stringify({ id: `chatcmpl-bench-${n}`, object: 'chat.completion.chunk', created: 1_763_900_000, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`
  res.write(chunk({ role: 'assistant', content: '' }))
  for (let i = 1; i < events; i++) {
    if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs))
    if (res.destroyed) return
    res.write(chunk({ content: `tok${i} ` }))
  }
  res.end(`${chunk({}, 'stop')}data: [DONE]\n\n`)
}
