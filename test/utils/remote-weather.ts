/**
 * The fake provider's `/weather` route served from another process, as a real
 * provider is: its work is not done on the test's thread. Timing tests need
 * that: a server in the test's own thread runs on the client's clock, in
 * record only, and hid that unchanged code's own time was read 2–3× higher in
 * replay than in record (docs/engine.md, "Timing: own time and the slowdown gate").
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'

export interface RemoteWeather {
  url: string
  close(): Promise<void>
}

// Plain JavaScript for `node -e`. A temperature that differs by city is all the timing tests read:
// the same answers in record and replay.
const SERVER = `
const http = require('node:http')
const server = http.createServer((request, response) => {
  const city = new URL(request.url, 'http://localhost').searchParams.get('city') ?? 'Oslo'
  response.setHeader('content-type', 'application/json')
  response.end(JSON.stringify({ city, tempC: city.length }))
})
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'))
process.on('disconnect', () => process.exit(0))
`

export async function startRemoteWeather(): Promise<RemoteWeather> {
  const child: ChildProcess = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] })
  const [chunk] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer]
  const port = Number(String(chunk).trim())
  if (!Number.isInteger(port)) throw new Error(`the remote weather server did not start: ${String(chunk)}`)
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      if (child.exitCode !== null) return
      const exited = once(child, 'exit')
      child.kill()
      await exited
    },
  }
}
