/**
 * Every flag of `replaykit listen` is checked before anything starts: a typo
 * or a bad value is a usage error naming it (exit 2), and `--help` works for
 * each action. Also `listen prune`'s retention of rotated files.
 */
import { existsSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ensureBuilt, tempDir } from './helpers.js'
import { killListener, listen, listenJson } from './listen-helpers.js'

let dir: string

beforeAll(async () => {
  await ensureBuilt()
  dir = tempDir()
  writeFileSync(join(dir, 'x.rpk'), '{}')
})
afterAll(() => {
  killListener(join(dir, '.replaykit'))
  rmSync(dir, { recursive: true, force: true })
})

describe('bad flags and actions', () => {
  test.each([
    [['start', '--prot', '8080'], 'unknown option `--prot`'],
    [['start', '--port', 'http'], '--port must be a port number from 0 to 65535'],
    [['start', '--port', '70000'], '--port must be a port number from 0 to 65535'],
    [['start', '--port'], 'option `--port <n>` needs a value'],
    [['start', '--port', '1', '--port', '2'], '--port is given 2 times'],
    [['start', '--mode', 'fast', '--replay', 'x.rpk'], '--mode must be strict or hybrid, not "fast"'],
    [['start', '--out', 'x.rpk', '--replay', 'x.rpk'], '--out and --replay name the same file'],
    [['start', '--mode', 'hybrid'], '--mode only applies with --replay'],
    [['start', '--replay', 'missing.rpk'], 'missing.rpk, does not exist'],
    [['start', '--upstream', 'mistral=http://127.0.0.1:1'], '--upstream must be PROVIDER=URL'],
    [['start', '--upstream', 'openai'], '--upstream must be PROVIDER=URL'],
    [['start', '--upstream', 'openai=localhost:8080'], '--upstream openai= needs an http(s) URL'],
    [['start', '--upstream', 'openai=http://a', '--upstream', 'openai=http://b'], '--upstream names openai twice'],
    [['start', '--max-size', '10xb'], '--max-size must be a size like 50mb'],
    [['start', '--max-age', 'soon'], '--max-age must be a duration like 30m'],
    [['start', '--keep', '-1'], 'unknown option `-1`'],
    [['start', '--keep', '1.5'], '--keep must be a number of files'],
    [['start', '--synthetic=yes'], 'too many arguments: `yes`'],
    [['start', 'extra'], 'too many arguments'],
    [['start', '--', 'node'], 'unexpected arguments after `--`'],
    [['status', '--port', '1'], 'unknown option `--port`'],
    [['stop', '--force'], 'unknown option `--force`'],
    [['env', '--shell', 'tcsh'], '--shell must be one of sh, fish, powershell'],
    [['run', '--mode', 'strict', '--', 'node'], '--mode only applies with --replay'],
    [['prune'], 'no artifact given'],
    [['prune', '--out', 's.rpk'], 'no retention given'],
    [['prune', '--out', 's.rpk', '--keep', 'all'], '--keep must be a number of files'],
    [['stat'], 'unknown listen action `stat`'],
    [[], '`replaykit listen` needs an action'],
  ])('listen %j: exit 2 naming it', async (args, message) => {
    const result = await listen(args, dir)
    expect(result.code, result.stdout).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain(message)
    expect(result.stderr).toMatch(/^\[ReplayKit\] /)
    expect(result.stderr).toContain('\n  Fix: ')
    expect(existsSync(join(dir, '.replaykit', 'listen.pid'))).toBe(false)
  })

  test('--json gives the error object', async () => {
    const { code, json } = await listenJson(['start', '--mode', 'hybrid'], dir)
    expect(code).toBe(2)
    expect(json).toMatchObject({
      command: 'listen start',
      ok: false,
      exitCode: 2,
      error: {
        code: 'RPK_USAGE',
        file: '--mode',
        message: expect.stringContaining('--mode only applies with --replay'),
      },
    })
  })

  test.each(['start', 'status', 'stop', 'env', 'run', 'prune'])('listen %s --help', async (action) => {
    const result = await listen([action, '--help'], dir)
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`$ replaykit listen ${action}`)
    expect(result.stdout).toContain('--json')
    expect(result.stdout).not.toContain('__serve')
  })

  test('listen --help lists the actions, replaykit --help lists listen', async () => {
    const help = await listen(['--help'], dir)
    expect(help.code).toBe(0)
    for (const action of ['start', 'status', 'stop', 'env', 'run', 'prune'])
      expect(help.stdout).toContain(`  ${action} `)
    expect(help.stdout).not.toContain('__serve')
    const { cli } = await import('./helpers.js')
    expect(cli(['--help'], dir).stdout).toContain('listen <action>')
  })
})

describe('listen prune', () => {
  test('keeps the newest --keep rotated files and removes those past --max-age; never the live file', async () => {
    const folder = join(dir, 'sessions')
    mkdirSync(folder, { recursive: true })
    const hour = 3_600_000
    for (let index = 1; index <= 5; index++) {
      const file = join(folder, `agent.${index}.rpk`)
      writeFileSync(file, '{}')
      // Older files have lower numbers: agent.1 is 5 hours old, agent.5 one hour.
      const time = (Date.now() - (6 - index) * hour) / 1000
      utimesSync(file, time, time)
    }
    writeFileSync(join(folder, 'agent.1.rpk.journal'), '')
    writeFileSync(join(folder, 'agent.rpk'), '{}')
    writeFileSync(join(folder, 'other.1.rpk'), '{}')

    const kept = await listenJson(['prune', '--out', 'sessions/agent.rpk', '--keep', '3'], dir)
    expect(kept.code).toBe(0)
    expect(kept.json).toMatchObject({
      command: 'listen prune',
      artifact: join(folder, 'agent.rpk'),
      removed: [join(folder, 'agent.2.rpk'), join(folder, 'agent.1.rpk')],
      kept: [join(folder, 'agent.5.rpk'), join(folder, 'agent.4.rpk'), join(folder, 'agent.3.rpk')],
    })
    expect(existsSync(join(folder, 'agent.1.rpk.journal'))).toBe(false)

    const aged = await listen(['prune', '--out', 'sessions/agent.rpk', '--max-age', '150m'], dir)
    expect(aged.code).toBe(0)
    expect(aged.stdout).toBe(
      'replaykit: 1 of 3 rotated files of sessions/agent.rpk removed.\n  removed sessions/agent.3.rpk\n',
    )
    expect(existsSync(join(folder, 'agent.rpk'))).toBe(true)
    expect(existsSync(join(folder, 'other.1.rpk'))).toBe(true)
    expect(existsSync(join(folder, 'agent.4.rpk'))).toBe(true)
  })
})
