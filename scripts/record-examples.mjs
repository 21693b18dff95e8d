// Re-records the example suites (examples/vitest-agent, examples/jest-agent) against the
// project's own fake provider, so the committed .rpk files never come from a paid API.
//
//   node scripts/record-examples.mjs        (after `npm run build`)
//
// The examples call http://127.0.0.1:4010; this script serves the fake provider there for the
// length of the recording (a small forwarding server in front of it, since the fake picks its own
// port), then runs each suite with REPLAYKIT_UPDATE=1.
import { spawn } from 'node:child_process'
import { createServer, request } from 'node:http'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runnerImport } from 'vite'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const PORT = 4010

const { module } = await runnerImport(join(root, 'test/utils/fake-provider.ts'))
const fake = await module.startFakeProvider()
const target = new URL(fake.url)

const proxy = createServer((req, res) => {
  const upstream = request(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    },
  )
  upstream.on('error', (error) => {
    res.writeHead(502)
    res.end(String(error))
  })
  req.pipe(upstream)
})
await new Promise((resolve, reject) => {
  proxy.once('error', (error) =>
    reject(new Error(`cannot listen on 127.0.0.1:${PORT} (${error.message}); free the port and retry`)),
  )
  proxy.listen(PORT, '127.0.0.1', resolve)
})

let failed = false
try {
  for (const [example, bin] of [
    ['vitest-agent', ['node_modules/vitest/vitest.mjs', 'run']],
    ['jest-agent', ['node_modules/jest/bin/jest.js']],
  ]) {
    const [script, ...args] = bin
    console.log(`\n▶ recording examples/${example}`)
    // Asynchronous: the fake provider and the forwarding server answer from this very process.
    const child = spawn(process.execPath, [join(root, script), ...args], {
      cwd: join(root, 'examples', example),
      stdio: 'inherit',
      env: { ...process.env, REPLAYKIT_UPDATE: '1', CI: '' },
    })
    const code = await new Promise((resolve) => child.on('close', resolve))
    if (code !== 0) failed = true
  }
} finally {
  proxy.close()
  await fake.close()
}
console.log(`\n${fake.requests.length} requests answered by the fake provider`)
process.exit(failed ? 1 : 0)
