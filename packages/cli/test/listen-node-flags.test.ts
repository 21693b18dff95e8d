/**
 * The listener's process runs with the gateway's Node flags (LISTENER_NODE_FLAGS:
 * a fixed young generation, so its RSS stays flat over a long session; issue 13,
 * docs/performance.md). Checked on the running process, started by the built binary.
 */
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { LISTENER_NODE_FLAGS } from '@replaykit/core/gateway'
import { afterEach, beforeAll, expect, test } from 'vitest'
import { ensureBuilt, tempDir } from './helpers.js'
import { killListener, listen, listenJson } from './listen-helpers.js'

let dir: string

beforeAll(async () => {
  await ensureBuilt()
})
afterEach(() => {
  killListener(join(dir, '.replaykit'))
  rmSync(dir, { recursive: true, force: true })
})

test('`listen start` runs the listener with --max-semi-space-size=8 before its script', async () => {
  dir = tempDir()
  expect(LISTENER_NODE_FLAGS).toEqual(['--max-semi-space-size=8'])
  const started = await listenJson(['start', '--port', '0', '--out', 'session.rpk'], dir)
  expect(started.code, started.result.stderr).toBe(0)
  const args = readFileSync(`/proc/${started.json.pid as number}/cmdline`, 'utf8')
    .split('\0')
    .slice(0, -1)
  // Node's own flags come before the script: after it they would be the script's arguments.
  expect(args[1]).toBe('--max-semi-space-size=8')
  expect(args.slice(-2)).toEqual(['listen', '__serve'])
  expect((await listen(['stop'], dir)).code).toBe(0)
})
