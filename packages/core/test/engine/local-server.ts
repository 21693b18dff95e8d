import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A tiny loopback server for engine tests of plain HTTP: counts what reaches it. */
export interface LocalServer {
  url: string
  hits: { method: string; path: string; body: string }[]
  close(): Promise<void>
}

type Route = (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>

export async function startLocalServer(routes: Record<string, Route> = {}): Promise<LocalServer> {
  const hits: LocalServer['hits'] = []
  let counter = 0
  const all: Record<string, Route> = {
    'GET /json': (req, res) => {
      counter++
      res.writeHead(200, { 'content-type': 'application/json', date: new Date().toUTCString() })
      res.end(JSON.stringify({ path: req.url, counter }))
    },
    'POST /echo': (_req, res, body) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ echo: body ? JSON.parse(body) : null }))
    },
    'GET /slow': async (_req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 30))
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end('slow')
    },
    'GET /sse': async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      for (let i = 0; i < 3; i++) {
        res.write(`event: tick\ndata: ${JSON.stringify({ i })}\n\n`)
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
      res.end('data: [DONE]\n\n')
    },
    'GET /cut': async (req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write('data: {"part":1}\n\n')
      await new Promise((resolve) => setTimeout(resolve, 5))
      res.write('data: {"part":')
      req.socket.destroy()
    },
    'GET /binary': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      res.end(Buffer.from([0, 1, 2, 255, 254]))
    },
    ...routes,
  }
  const server: Server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0]
      hits.push({ method: req.method ?? 'GET', path: req.url ?? '/', body })
      const route = all[`${req.method} ${path}`]
      if (!route) {
        res.writeHead(404).end()
        return
      }
      void route(req, res, body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
