/**
 * A loopback stand-in for Ollama's chat API (`POST /api/chat`), for the docs example of a
 * user-written adapter: buffered JSON with `"stream": false`, else NDJSON lines (Ollama
 * streams by default), each line written as its own chunk. Same script as the fake provider:
 * `get_weather({city})` when that tool is declared and no tool result was sent, else
 * `echo: <last user text>`.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { cityOf } from './fake-provider.js'

export interface FakeOllama {
  url: string
  close(): Promise<void>
}

interface ChatBody {
  model?: string
  stream?: boolean
  messages?: Array<{ role?: string; content?: string }>
  tools?: Array<{ function?: { name?: string } }>
}

export async function startFakeOllama(): Promise<FakeOllama> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      if (request.method !== 'POST' || !request.url?.startsWith('/api/chat')) {
        response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}')
        return
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as ChatBody
      const messages = body.messages ?? []
      const lastUser = messages.findLast((message) => message.role === 'user')?.content ?? ''
      const wantsTool =
        (body.tools ?? []).some((tool) => tool.function?.name === 'get_weather') &&
        !messages.some((message) => message.role === 'tool')
      const message = wantsTool
        ? {
            role: 'assistant',
            content: '',
            tool_calls: [{ function: { name: 'get_weather', arguments: { city: cityOf(lastUser) } } }],
          }
        : { role: 'assistant', content: `echo: ${lastUser}` }
      const done = { model: body.model, done: true, done_reason: 'stop', prompt_eval_count: 7, eval_count: 3 }
      if (body.stream === false) {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...done, message }))
        return
      }
      response.writeHead(200, { 'content-type': 'application/x-ndjson' })
      const half = Math.ceil(message.content.length / 2)
      const lines = [
        { model: body.model, message: { ...message, content: message.content.slice(0, half) }, done: false },
        { model: body.model, message: { role: 'assistant', content: message.content.slice(half) }, done: false },
        { ...done, message: { role: 'assistant', content: '' } },
      ]
      for (const line of lines) response.write(`${JSON.stringify(line)}\n`)
      response.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      }),
  }
}
