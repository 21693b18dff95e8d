/**
 * The fake provider server: node:http on 127.0.0.1 with an ephemeral port, routing to the
 * provider fakes by URL path (under any base path, like the adapters) and to plain routes.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { codexModels, keyOf, unauthorized } from './agents.js'
import { anthropicError, countTokens, messages } from './anthropic.js'
import { geminiError, generateContent } from './gemini.js'
import { type CallStamp, CREATED, FIXED_STAMP } from './ids.js'
import { chatCompletions, modelList, openaiError } from './openai-chat.js'
import { responses } from './openai-responses.js'
import { plainRoute } from './plain.js'
import { type FakeResponse, json, send } from './respond.js'
import { type Fault, faultOf } from './script.js'
import { isObject } from './turn.js'
import type { FakeProvider, FakeProviderOptions, FakeReplyScript, ReceivedRequest } from './types.js'

const GEMINI = /\/models\/([^/:]+):(generateContent|streamGenerateContent)$/

/**
 * Start a fake provider on 127.0.0.1.
 *
 * @example
 * const fake = await startFakeProvider()
 * const openai = new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'test' })
 * // … after the test
 * await fake.close()
 */
export async function startFakeProvider(options: FakeProviderOptions = {}): Promise<FakeProvider> {
  const requests: ReceivedRequest[] = []
  let script: FakeReplyScript | undefined = options.reply
  let calls = 0
  const stampOf = (): CallStamp => (options.freshIds ? { salt: `#${++calls}`, created: CREATED + calls } : FIXED_STAMP)
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: { message: `fake provider failed: ${String(error)}` } }))
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req)
    const contentType = req.headers['content-type'] ?? ''
    const body = parseBody(raw)
    requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: { ...req.headers }, body })
    if (options.latencyMs) await sleep(options.latencyMs)
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    // A connection dropped before any answer: the client gets no response at all.
    if (url.pathname === '/hang-up') {
      req.socket.destroy()
      return
    }
    // Claude Code probes the base URL with `HEAD /` before its first call.
    if (req.method === 'HEAD') {
      res.writeHead(200).end()
      return
    }
    const key = keyOf(req.headers, url)
    if (options.apiKeys && (key === undefined || !options.apiKeys.includes(key))) {
      await send(res, unauthorized(url.pathname), { eventDelayMs: 0 })
      return
    }
    const { out, fault } = route(req.method ?? 'GET', url, body, raw, contentType, req.headers, script, stampOf())
    await send(res, out, { eventDelayMs: options.eventDelayMs ?? 0, fault })
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reset: () => {
      requests.length = 0
    },
    setReply: (next) => {
      script = next
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      }),
  }
}

function route(
  method: string,
  url: URL,
  body: unknown,
  raw: Buffer,
  contentType: string,
  headers: IncomingMessage['headers'],
  script: FakeReplyScript | undefined,
  stamp: CallStamp,
): { out: FakeResponse; fault?: Fault } {
  const path = url.pathname.replace(/\/+$/, '')
  const object = isObject(body) ? body : {}
  const gemini = GEMINI.exec(decodeURIComponent(path))
  if (method === 'POST' && gemini) {
    const model = gemini[1]!
    const fault = faultOf(model)
    if (fault?.type === 'error') return { out: geminiError(fault.status, `scripted error for model ${model}`) }
    const stream = gemini[2] === 'generateContent' ? false : url.searchParams.get('alt') === 'sse' ? 'sse' : 'array'
    return { out: generateContent(object, model, stream, script, stamp), fault }
  }
  const model = typeof object.model === 'string' ? object.model : ''
  const fault = faultOf(model)
  if (method === 'POST' && path.endsWith('/v1/messages/count_tokens')) return { out: countTokens(object) }
  if (method === 'POST' && path.endsWith('/v1/messages')) {
    if (fault?.type === 'error') return { out: anthropicError(fault.status, `scripted error for model ${model}`) }
    return { out: messages(object, script, stamp), fault }
  }
  if (method === 'POST' && path.endsWith('/chat/completions')) {
    if (fault?.type === 'error') return { out: openaiError(fault.status, `scripted error for model ${model}`) }
    return { out: chatCompletions(object, script, stamp), fault }
  }
  if (method === 'POST' && path.endsWith('/responses')) {
    if (fault?.type === 'error') return { out: openaiError(fault.status, `scripted error for model ${model}`) }
    return { out: responses(object, script, stamp), fault }
  }
  if (method === 'GET' && path.endsWith('/models') && url.searchParams.has('client_version'))
    return { out: codexModels() }
  if (method === 'GET' && path.endsWith('/models'))
    return { out: modelList(headers['anthropic-version'] !== undefined) }
  return (
    plainRoute(method, url, raw, contentType) ?? {
      out: json(404, { error: { message: `no fake route for ${method} ${path}` } }),
    }
  )
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function parseBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined
  const text = raw.toString('utf8')
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
