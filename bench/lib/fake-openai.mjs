/**
 * A small loopback fake of the OpenAI Chat Completions API (JSON and SSE) plus
 * plain routes, in plain JavaScript so the bench runs on built code with plain
 * `node`.
 *
 * @note Not the TypeScript fake provider in test/utils: Node's type stripping
 * cannot follow its `.js` import specifiers to `.ts` files, and the bench needs
 * two routes the tests do not: a stream of N events and a payload of N bytes.
 */
import { createHash } from 'node:crypto'
import { createServer } from 'node:http'

/** A fixed `created` time, so the same request gets the same bytes on every run. */
const CREATED = 1_763_900_000

/** `model: 'bench-events-5000'` asks for a stream of 5,000 events in all (role, content chunks, stop, `[DONE]`). */
const EVENTS_MODEL = /^bench-events-(\d+)$/

/**
 * Start the fake on 127.0.0.1 with an ephemeral port.
 *
 * @returns {Promise<{ url: string, hits: () => number, close: () => Promise<void> }>}
 */
export async function startFakeOpenAI() {
  let hits = 0
  /** @type {Map<string, Buffer>} */
  const payloads = new Map()
  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', (chunk) => chunks.push(chunk))
    req.on('end', () => {
      hits++
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const raw = Buffer.concat(chunks).toString('utf8')
      if (req.method === 'POST' && url.pathname.endsWith('/chat/completions')) return chat(res, JSON.parse(raw))
      if (req.method === 'GET' && url.pathname === '/plain/json') {
        return sendJson(res, { ok: true, items: [1, 2, 3], note: 'a small plain JSON answer' })
      }
      if (req.method === 'GET' && url.pathname === '/payload') {
        const bytes = Number(url.searchParams.get('bytes') ?? '1024')
        const kind = url.searchParams.get('kind') ?? 'records'
        const key = `${kind} ${bytes}`
        let payload = payloads.get(key)
        if (!payload) {
          payload = PAYLOADS[kind](bytes)
          payloads.set(key, payload)
        }
        const type = kind === 'binary' ? 'application/octet-stream' : 'application/json'
        res.writeHead(200, { 'content-type': type, 'content-length': String(payload.length) })
        return res.end(payload)
      }
      res.writeHead(404, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: { message: `no fake route for ${req.method} ${url.pathname}` } }))
    })
  })
  // Keep-alive connections from the SDK must not hold `close()` up.
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve(undefined))
      }),
  }
}

function chat(res, body) {
  const messages = Array.isArray(body.messages) ? body.messages : []
  const question = String(messages.findLast((m) => m.role === 'user')?.content ?? '')
  const model = String(body.model ?? 'gpt-fake')
  const id = `chatcmpl-${createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 24)}`
  const text = `The answer to "${question}" is 42, as far as this fake model can tell.`
  const usage = { prompt_tokens: 12, completion_tokens: 16, total_tokens: 28 }
  if (body.stream !== true) {
    return sendJson(res, {
      id,
      object: 'chat.completion',
      created: CREATED,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, finish_reason: 'stop' }],
      usage,
    })
  }
  const many = EVENTS_MODEL.exec(model)
  const pieces = many
    ? Array.from({ length: Math.max(0, Number(many[1]) - 3) }, (_, i) => `tok${i} `)
    : text.split(/(?<= )/)
  const chunk = (delta, finish = null) =>
    `data: ${JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created: CREATED,
      model,
      choices: [{ index: 0, delta, finish_reason: finish }],
    })}\n\n`
  let out = chunk({ role: 'assistant', content: '' })
  for (const piece of pieces) out += chunk({ content: piece })
  out += chunk({}, 'stop')
  out += 'data: [DONE]\n\n'
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' })
  res.end(out)
}

function sendJson(res, value) {
  const text = JSON.stringify(value)
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) })
  res.end(text)
}

/** A JSON document of exactly `bytes` bytes: an array of records, like a large API listing. */
export function jsonPayload(bytes) {
  const record = (i) => `{"id":${i},"name":"item-${i}","tags":["alpha","beta"],"score":${(i % 97) / 7}}`
  const parts = ['[']
  let size = 2
  for (let i = 0; ; i++) {
    const next = (i > 0 ? ',' : '') + record(i)
    if (size + next.length > bytes) break
    parts.push(next)
    size += next.length
  }
  // Pad inside a last string so the document is valid JSON of the exact size.
  const room = bytes - size
  if (room >= 11) parts.push(`,"${'x'.repeat(room - 3)}"`)
  else parts.push(' '.repeat(room))
  parts.push(']')
  return Buffer.from(parts.join(''))
}

/** A JSON document of exactly `bytes` bytes: embedding vectors, as an embeddings API answers. */
export function embeddingsPayload(bytes) {
  const vector = Array.from({ length: 1536 }, (_, i) => (Math.sin(i) / 10).toFixed(8)).join(',')
  const head = '{"object":"list","model":"text-embedding-3-small","data":['
  const parts = [head]
  let size = head.length + 2
  for (let i = 0; ; i++) {
    const next = `${i > 0 ? ',' : ''}{"object":"embedding","index":${i},"embedding":[${vector}]}`
    if (size + next.length > bytes) break
    parts.push(next)
    size += next.length
  }
  parts.push(' '.repeat(bytes - size), ']}')
  return Buffer.from(parts.join(''))
}

/** `bytes` bytes of binary data (an audio file, an image). */
export function binaryPayload(bytes) {
  const out = Buffer.alloc(bytes)
  for (let i = 0; i < bytes; i++) out[i] = (i * 2654435761) >>> 24
  return out
}

const PAYLOADS = { records: jsonPayload, embeddings: embeddingsPayload, binary: binaryPayload }
