/**
 * `replaykit listen start|status|stop`: the background listener's lifecycle,
 * through the built binary. The state is checked against the process and its
 * health route: a PID file alone proves nothing (stale, crashed, reused PIDs).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http'
import { type AddressInfo, createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, test } from 'vitest'
import { cliAsync, ensureBuilt, NODE, tempDir } from './helpers.js'
import { alive, killListener, listen, listenJson } from './listen-helpers.js'

let dir: string
const state = () => join(dir, '.replaykit')

beforeAll(async () => {
  await ensureBuilt()
})
afterEach(() => {
  killListener(state())
  rmSync(dir, { recursive: true, force: true })
})

describe('listen start, status and stop', () => {
  test('start → status → stop → status, three times over, each with its own listener', async () => {
    dir = tempDir()
    const pids = new Set<number>()
    for (let round = 1; round <= 3; round++) {
      const out = `session-${round}.rpk`
      const started = await listenJson(['start', '--port', '0', '--out', out], dir)
      expect(started.code, started.result.stderr).toBe(0)
      expect(started.json).toMatchObject({
        command: 'listen start',
        ok: true,
        started: true,
        mode: 'live',
        artifact: join(dir, out),
        replay: null,
        requests: 0,
        errors: 0,
        synthetic: 0,
        degraded: [],
        stateDir: state(),
        exitCode: 0,
      })
      const pid = started.json.pid as number
      const port = started.json.port as number
      expect(port).toBeGreaterThan(0)
      expect(started.json.url).toBe(`http://127.0.0.1:${port}`)
      expect(alive(pid)).toBe(true)
      pids.add(pid)
      // The health route answers with the same status.
      const health = (await (await fetch(`http://127.0.0.1:${port}/__replaykit/health`)).json()) as { pid: number }
      expect(health.pid).toBe(pid)

      const status = await listenJson(['status'], dir)
      expect(status.code).toBe(0)
      expect(status.json).toMatchObject({
        command: 'listen status',
        running: true,
        responding: true,
        pid,
        port,
        mode: 'live',
      })

      const stopped = await listenJson(['stop'], dir)
      expect(stopped.code, stopped.result.stderr).toBe(0)
      expect(stopped.json).toMatchObject({ command: 'listen stop', ok: true, stopped: true, pid, killed: false })
      // No exchange in this session: nothing was written, and no file is claimed.
      expect(stopped.json.written).toEqual({ runs: 0, steps: 0 })
      expect(existsSync(join(dir, out))).toBe(false)
      expect(alive(pid)).toBe(false)
      expect(existsSync(join(state(), 'listen.pid'))).toBe(false)

      const after = await listenJson(['status'], dir)
      expect(after.json).toMatchObject({ running: false, staleCleaned: false, exitCode: 0 })
    }
    expect(pids.size).toBe(3)
  })

  test('the text output names the URL, the artifact and how to inspect it', async () => {
    dir = tempDir()
    // Synthetic answers: one exchange is recorded without an upstream.
    const started = await listen(['start', '--out', 'a.rpk', '--synthetic'], dir)
    expect(started.code, started.stderr).toBe(0)
    expect(started.stdout).toMatch(
      /^replaykit: listening on http:\/\/127\.0\.0\.1:\d+ \(pid \d+, synthetic\)\n {2}recording into a\.rpk\n/,
    )
    const url = /listening on (\S+) /.exec(started.stdout)?.[1]
    const answer = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    })
    expect(answer.status).toBe(200)
    const status = await listen(['status'], dir)
    expect(status.stdout).toMatch(
      /a listener runs on http:\/\/127\.0\.0\.1:\d+ .*\n {2}artifact: a\.rpk\n {2}requests: 1, errors: 0, synthetic answers: 1\n/,
    )
    const stopped = await listen(['stop'], dir)
    expect(stopped.stdout).toContain('  wrote a.rpk: 1 run, ')
    expect(stopped.stdout).toContain('  check it: npx replaykit inspect a.rpk')
  })

  test('a second start while one runs says so, starts nothing and exits 0', async () => {
    dir = tempDir()
    const first = await listenJson(['start'], dir)
    expect(first.code).toBe(0)
    const second = await listenJson(['start', '--port', '0'], dir)
    expect(second.code).toBe(0)
    expect(second.json).toMatchObject({ started: false, pid: first.json.pid, url: first.json.url })
    const text = await listen(['start'], dir)
    expect(text.code).toBe(0)
    expect(text.stdout).toContain(
      `a listener already runs on ${first.json.url} (pid ${first.json.pid}, live); nothing started.`,
    )
    await listen(['stop'], dir)
  })

  test('three starts at the same moment: one listener, the others say it runs and exit 0', async () => {
    dir = tempDir()
    const results = await Promise.all([1, 2, 3].map(() => listenJson(['start'], dir)))
    for (const result of results) expect(result.code, result.result.stderr).toBe(0)
    expect(results.filter((result) => result.json.started === true)).toHaveLength(1)
    expect(new Set(results.map((result) => result.json.pid)).size).toBe(1)
    expect((await listenJson(['status'], dir)).json).toMatchObject({ running: true, pid: results[0]?.json.pid })
    await listen(['stop'], dir)
  })

  test("the options are not on the listener's command line (ps shows it to everyone), and its state file is owner-only", async () => {
    dir = tempDir()
    const started = await listenJson(['start', '--upstream', 'openai=http://user:s3cret@127.0.0.1:9/v1'], dir)
    expect(started.code, started.result.stderr).toBe(0)
    const cmdline = readFileSync(`/proc/${started.json.pid}/cmdline`, 'utf8').split('\0')
    expect(cmdline).toContain('__serve')
    expect(cmdline.join(' ')).not.toContain('s3cret')
    expect(statSync(join(state(), 'listen.json')).mode & 0o077).toBe(0)
    await listen(['stop'], dir)
  })

  test('stop and status with no listener: exit 0 with a message', async () => {
    dir = tempDir()
    const stopped = await listen(['stop'], dir)
    expect(stopped).toMatchObject({ code: 0, stdout: 'replaykit: no listener runs; nothing to stop.\n' })
    const status = await listen(['status'], dir)
    expect(status).toMatchObject({
      code: 0,
      stdout: 'replaykit: no listener runs; start one with `replaykit listen start`.\n',
    })
  })

  test('$REPLAYKIT_STATE_DIR moves the PID and state files', async () => {
    dir = tempDir()
    const env = { REPLAYKIT_STATE_DIR: join(dir, 'elsewhere') }
    const started = await listenJson(['start'], dir, env)
    expect(started.json.stateDir).toBe(join(dir, 'elsewhere'))
    expect(existsSync(join(dir, 'elsewhere', 'listen.pid'))).toBe(true)
    expect(existsSync(state())).toBe(false)
    // Without the variable, this folder has no listener.
    expect((await listenJson(['status'], dir)).json.running).toBe(false)
    expect((await listenJson(['status'], dir, env)).json.running).toBe(true)
    expect((await listenJson(['stop'], dir, env)).json.stopped).toBe(true)
  })
})

describe('stale state', () => {
  test('a PID file of a process that is gone is detected, cleaned, and start works', async () => {
    dir = tempDir()
    const gone = spawnSync(NODE, ['-e', 'process.exit(0)']).pid
    mkdirSync(state(), { recursive: true })
    writeFileSync(join(state(), 'listen.pid'), `${gone}\n`)
    writeFileSync(
      join(state(), 'listen.json'),
      JSON.stringify({
        pid: gone,
        url: 'http://127.0.0.1:9',
        port: 9,
        startedAt: '2026-01-01T00:00:00.000Z',
        options: {},
      }),
    )
    const status = await listenJson(['status'], dir)
    expect(status.json).toMatchObject({ running: false, staleCleaned: true })
    expect(existsSync(join(state(), 'listen.pid'))).toBe(false)
    expect(existsSync(join(state(), 'listen.json'))).toBe(false)

    writeFileSync(join(state(), 'listen.pid'), `${gone}\n`)
    const started = await listen(['start'], dir)
    expect(started.code, started.stderr).toBe(0)
    expect(started.stderr).toContain(`removed the state of a listener that is gone (pid ${gone})`)
    await listen(['stop'], dir)
  })

  test('a PID file naming a live process that is not a listener is stale too', async () => {
    dir = tempDir()
    mkdirSync(state(), { recursive: true })
    // This test's own process: alive, but not a listener (its PID was reused).
    writeFileSync(join(state(), 'listen.pid'), `${process.pid}\n`)
    const stopped = await listenJson(['stop'], dir)
    expect(stopped.json).toMatchObject({ stopped: false, staleCleaned: true })
    expect(alive(process.pid)).toBe(true)
  })

  test('a listener killed with SIGKILL is reported as not running, and a new one starts', async () => {
    dir = tempDir()
    const started = await listenJson(['start', '--out', 'crash.rpk'], dir)
    const pid = started.json.pid as number
    process.kill(pid, 'SIGKILL')
    for (let i = 0; i < 100 && alive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 20))
    const status = await listenJson(['status'], dir)
    expect(status.json).toMatchObject({ running: false, staleCleaned: true })
    const again = await listenJson(['start', '--out', 'crash.rpk'], dir)
    expect(again.json).toMatchObject({ started: true })
    expect(again.json.pid).not.toBe(pid)
    await listen(['stop'], dir)
  })
})

describe('a listener killed mid-exchange', () => {
  let upstream: HttpServer
  afterEach(() => new Promise<void>((resolve) => upstream.close(() => resolve())))

  test('stop writes the exchange it had in flight into its artifact as interrupted, and inspect shows it', async () => {
    dir = tempDir()
    // An upstream that takes the request and never answers.
    let received = 0
    upstream = createHttpServer(() => {
      received++
    })
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
    const port = (upstream.address() as AddressInfo).port
    const started = await listenJson(
      ['start', '--out', 'cut.rpk', '--upstream', `openai=http://127.0.0.1:${port}/v1`],
      dir,
    )
    const pid = started.json.pid as number
    fetch(`${started.json.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'left in flight' }] }),
    }).catch(() => {})
    for (let i = 0; i < 500 && received === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10))
    expect(received).toBe(1)
    process.kill(pid, 'SIGKILL')
    for (let i = 0; i < 100 && alive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 20))

    const stopped = await listenJson(['stop'], dir)
    expect(stopped.json).toMatchObject({
      stopped: false,
      staleCleaned: true,
      recovered: { artifact: join(dir, 'cut.rpk'), interrupted: 1 },
    })
    expect(existsSync(join(dir, 'cut.rpk.inflight'))).toBe(false)
    const shown = await cliAsync(['inspect', 'cut.rpk'], dir)
    expect(shown.code, shown.stderr).toBe(0)
    expect(shown.stdout).toContain('1 interrupted (in flight when the listener stopped)')
    expect(shown.stdout).toMatch(/model\.request .*left in flight/)
    expect(shown.stdout).toMatch(/error\.event +RPK_GATEWAY_INTERRUPTED +interrupted: the listener stopped/)
  })
})

describe('port conflict', () => {
  let server: Server
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())))

  test('a port in use is a clear error (exit 2), and nothing is left running', async () => {
    dir = tempDir()
    server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
    const port = (server.address() as { port: number }).port
    const result = await listen(['start', '--port', String(port)], dir)
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/^\[ReplayKit\] /)
    expect(result.stderr).toContain(String(port))
    expect(result.stderr).toContain('in use')
    expect(result.stderr).toContain('Fix: ')
    const json = await listenJson(['start', '--port', String(port)], dir)
    expect(json.code).toBe(2)
    expect(json.json).toMatchObject({
      command: 'listen start',
      ok: false,
      exitCode: 2,
      error: { code: 'RPK_PORT_IN_USE' },
    })
    expect((json.json.error as { message: string }).message).toContain(String(port))
    expect((await listenJson(['status'], dir)).json).toMatchObject({ running: false, staleCleaned: false })
  })
})

describe('any port', () => {
  test('a port that fetch refuses (browsers block 6566, 10080, …) still starts and answers status', async () => {
    dir = tempDir()
    const port = await firstFree([10080, 6566, 6665, 6666, 5060])
    const started = await listenJson(['start', '--port', String(port)], dir)
    expect(started.code, started.result.stderr).toBe(0)
    expect(started.json).toMatchObject({ started: true, port })
    expect((await listenJson(['status'], dir)).json).toMatchObject({ running: true, port })
    expect((await listenJson(['stop'], dir)).json).toMatchObject({ stopped: true })
  })
})

/** The first of these ports nothing listens on. */
async function firstFree(ports: number[]): Promise<number> {
  for (const port of ports) {
    const server = createServer()
    const free = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false))
      server.listen(port, '127.0.0.1', () => resolve(true))
    })
    if (free) {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      return port
    }
  }
  throw new Error(`all of ${ports.join(', ')} are in use`)
}
