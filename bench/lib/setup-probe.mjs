/**
 * One fresh process, as a test worker starts: import what a test file of the
 * contender imports and answer its first request, and print the times as
 * JSON. The `openai` SDK and the client are made before the clock starts:
 * every contender's worker pays for them alike.
 *
 *   node setup-probe.mjs <replaykit|msw|aimock> <fixtures dir> <origin>
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { join } from 'node:path'
import { ask, makeClient, questions } from './openai-ask.mjs'

const [kind, dir, origin] = process.argv.slice(2)
const question = questions(1)[0]
const client = makeClient(origin)
// bench/profile.mjs --setup: V8's profiler over the timed part only (not Node's start or the SDK's import).
const profileTo = process.env.SETUP_PROFILE
const session = profileTo ? new Session() : undefined
if (session) {
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 100 })
  await session.post('Profiler.start')
}
const started = performance.now()
const cpu0 = process.cpuUsage()
let imported = 0
let read = 0
let answered = 0

if (kind === 'replaykit') {
  // What a test worker loads: the runner SPI's engine (capture) and the format (reading the .rpk).
  const [{ readRpkFile }, { runCapture }] = await Promise.all([
    import('@replaykit/core'),
    import('@replaykit/core/engine'),
  ])
  imported = performance.now()
  // The test file's .rpk is read on its first capture.
  const recording = readRpkFile(join(dir, 'replay.rpk'))?.runs['buffered 1']
  read = performance.now()
  const result = await runCapture(() => ask(client, false, 'gpt-fake', question), {
    mode: 'strict',
    recording,
    name: 'buffered',
    index: 1,
  })
  if (result.threw || result.problems.length > 0) throw result.error ?? new Error(result.problems[0].message)
  answered = performance.now()
} else if (kind === 'msw') {
  const { HttpResponse, http } = await import('msw')
  const { setupServer } = await import('msw/node')
  imported = performance.now()
  const bodies = JSON.parse(readFileSync(join(dir, 'msw-bodies.json'), 'utf8')).buffered
  const server = setupServer(
    http.post('*/chat/completions', async ({ request }) => {
      const body = await request.json()
      return HttpResponse.json(JSON.parse(bodies[body.messages.at(-1).content].text))
    }),
  )
  server.listen({ onUnhandledFrame: 'error' })
  // MSW patches fetch when it listens: a client made before would bypass it, so this one is made now.
  await ask(makeClient(origin), false, 'gpt-fake', question)
  answered = performance.now()
  server.close()
} else if (kind === 'aimock') {
  const { LLMock } = await import('@copilotkit/aimock')
  imported = performance.now()
  const bodies = JSON.parse(readFileSync(join(dir, 'msw-bodies.json'), 'utf8')).buffered
  const mock = new LLMock({ port: 0, logLevel: 'silent' })
  for (const [q, body] of Object.entries(bodies)) mock.onMessage(q, { content: body.answer })
  await mock.start()
  await ask(makeClient(mock.url), false, 'gpt-fake', question)
  answered = performance.now()
  await mock.stop()
} else {
  throw new Error(`unknown kind ${kind}`)
}
// CPU time of the same span (this process's threads): a busy machine stretches it less than wall time.
const cpu = process.cpuUsage(cpu0)
if (session) {
  const { profile } = await session.post('Profiler.stop')
  writeFileSync(profileTo, JSON.stringify(profile))
}
const phases = {
  importMs: imported - started,
  firstMs: answered - imported,
  ms: answered - started,
  cpuMs: (cpu.user + cpu.system) / 1000,
}
// ReplayKit's first capture, in two: reading the .rpk, then the capture itself.
if (read) Object.assign(phases, { readMs: read - imported, captureMs: answered - read })
console.log(JSON.stringify(phases))
