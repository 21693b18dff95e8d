/**
 * One fresh process, as a test worker starts: import what a test file of the
 * contender imports and answer its first request, and print the times as
 * JSON. The `openai` SDK and the client are made before the clock starts:
 * every contender's worker pays for them alike.
 *
 *   node setup-probe.mjs <replaykit|msw|aimock> <fixtures dir> <origin>
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { join } from 'node:path'
import { ask, makeClient, questions } from './openai-ask.mjs'

const [kind, dir, origin] = process.argv.slice(2)
// ReplayKit's test file and its recordings where the runner looks for them (`__snapshots__/<file>.rpk`), placed untimed.
const testFile = join(dir, 'setup.test.ts')
if (kind === 'replaykit' && !existsSync(join(dir, '__snapshots__', 'setup.test.ts.rpk'))) {
  mkdirSync(join(dir, '__snapshots__'), { recursive: true })
  copyFileSync(join(dir, 'replay.rpk'), join(dir, '__snapshots__', 'setup.test.ts.rpk'))
}
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
  // What a Vitest worker loads: the setup file's entries (engine, node, runner) and, through the test
  // file's `import { capture } from '@replaykit/vitest'`, the errors entry and the root.
  const [, , runner] = await Promise.all([
    import('@replaykit/core/engine'),
    import('@replaykit/core/node'),
    import('@replaykit/core/runner'),
    import('@replaykit/core/errors'),
    import('@replaykit/core'),
  ])
  imported = performance.now()
  // What `capture()` does: the test file's recordings through the runner's file session (the .rpk
  // store, the check for a journal beside it), then the capture planned for the test, strict (CI).
  const file = runner.replayFileFor(testFile, 'none')
  file.recorded('buffered 1')
  read = performance.now()
  const run = await runner.captureReplay(() => ask(client, false, 'gpt-fake', question), {
    file,
    testPath: ['buffered'],
    test: 'the first test',
    attempt: 1,
    defaults: {},
  })
  if (run.threw || run.problems.length > 0) throw run.error ?? new Error(run.problems[0].message)
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
