/**
 * `replaykit listen start`: start one detached background listener and wait
 * until its health route answers. A second start while one runs says so and
 * starts nothing; the files of a crashed listener are cleaned first.
 */
import { spawn } from 'node:child_process'
import { closeSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { GatewayOptions, GatewayStatus } from '@replaykit/core/gateway'
import type { CommandContext, CommandResult } from '../../context.js'
import { EXIT_CODES } from '../../exit-codes.js'
import { usageError } from '../../usage-error.js'
import { type ErrorRecord, errorFromRecord } from './error-record.js'
import { shown } from './paths.js'
import { clearStale, recoveryLine } from './recover.js'
import {
  CONFIG_ENV,
  clearListener,
  ensureStateDir,
  errorFile,
  fetchHealth,
  type ListenState,
  probe,
  readJson,
  readPid,
  SERVE_ACTION,
  STATE_DIR_ENV,
  type StateFiles,
} from './state.js'

/** How long `start` waits for the listener's health route. */
const READY_TIMEOUT_MS = 20_000

export interface Started {
  /** False when a listener was already running (nothing was started). */
  started: boolean
  state?: ListenState
  status: GatewayStatus
}

/**
 * Start the listener, or find the one that runs. `bin` is the replaykit
 * binary the background process runs (`replaykit listen __serve`).
 */
export async function startListener(
  options: GatewayOptions,
  files: StateFiles,
  bin: string,
  context: CommandContext,
): Promise<Started> {
  ensureStateDir(files)
  let found = await probe(files)
  // @note A listener that runs but does not answer yet may be one another start has just spawned
  // (two starts at the same moment, the other one first): wait for it as that start does, and only
  // then call it unresponsive. Before, the second start failed while the first one's listener booted.
  if (found.kind === 'unresponsive') found = await settled(files, found)
  if (found.kind === 'running') return { started: false, state: found.state, status: found.health }
  if (found.kind === 'unresponsive') {
    throw usageError(
      `Failed to start the listener: a listener (pid ${found.pid}) is running but its health route does not answer.`,
      'wait a moment and run `replaykit listen status`, or stop it with `replaykit listen stop`.',
      files.dir,
    )
  }
  if (found.kind === 'stale') {
    const recovered = await clearStale(files)
    context.note(`replaykit: removed the state of a listener that is gone (pid ${found.pid}).`)
    if (recovered) context.note(recoveryLine(recovered))
  }
  const gateway: GatewayOptions = { ...options }
  if (gateway.out === undefined && gateway.replay === undefined) {
    gateway.out = defaultArtifact(files)
    mkdirSync(dirname(gateway.out), { recursive: true })
  }
  const { LISTENER_NODE_FLAGS } = await import('@replaykit/core/gateway')
  const log = openSync(files.log, 'a')
  // The listener's Node flags (a fixed young generation: its RSS stays flat over a long session).
  const child = spawn(process.execPath, [...LISTENER_NODE_FLAGS, bin, 'listen', SERVE_ACTION], {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, [STATE_DIR_ENV]: files.dir, [CONFIG_ENV]: JSON.stringify(gateway) },
  })
  closeSync(log)
  let exited: number | null | undefined
  child.on('exit', (code) => {
    exited = code
  })
  child.on('error', () => {
    exited = -1
  })
  try {
    const status = await waitReady(files, child.pid ?? -1, () => exited)
    if (status === 'lost-race') return await theOtherOne(files)
    const state = readJson<ListenState>(files.state)
    return { started: true, ...(state ? { state } : {}), status }
  } catch (error) {
    if (child.pid !== undefined && exited === undefined) {
      child.kill('SIGKILL')
      // What it claimed is not left behind for the next start to call stale.
      if (readPid(files) === child.pid) clearListener(files)
    }
    throw error
  } finally {
    child.unref()
  }
}

/**
 * Wait until the listener answers. 'lost-race': another start's listener claimed the PID
 * file first (two starts at the same moment): that one is the listener.
 */
async function waitReady(
  files: StateFiles,
  pid: number,
  exited: () => number | null | undefined,
): Promise<GatewayStatus | 'lost-race'> {
  const deadline = Date.now() + READY_TIMEOUT_MS
  while (Date.now() < deadline) {
    const failure = takeError(files, pid)
    if (failure && failure.pid === pid) {
      if (failure.lostRace) return 'lost-race'
      throw errorFromRecord(failure)
    }
    const state = readJson<ListenState>(files.state)
    if (state && state.pid === pid) {
      const health = await fetchHealth(state.url)
      if (health) return health
    }
    const code = exited()
    if (code !== undefined) {
      // The error file is written before the exit: read it once more.
      const last = takeError(files, pid)
      if (last && last.pid === pid) {
        if (last.lostRace) return 'lost-race'
        throw errorFromRecord(last)
      }
      throw usageError(
        `Failed to start the listener: it exited (code ${code}) before answering.${logTail(files)}`,
        `see ${files.log}, fix the cause and run \`replaykit listen start\` again.`,
        files.log,
      )
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw usageError(
    `Failed to start the listener: its health route did not answer within ${READY_TIMEOUT_MS / 1000} s.`,
    `see ${files.log}; the machine may be very busy: run \`replaykit listen start\` again.`,
    files.log,
  )
}

/** Why the listener `pid` failed to start, once: its file is removed when read. */
function takeError(files: StateFiles, pid: number): ErrorRecord | undefined {
  const file = errorFile(files, pid)
  const record = readJson<ErrorRecord>(file)
  if (record) rmSync(file, { force: true })
  return record && record.pid === pid ? record : undefined
}

/** Probe again until the listener is no longer unresponsive, or READY_TIMEOUT_MS have passed. */
async function settled(files: StateFiles, found: Awaited<ReturnType<typeof probe>>) {
  const deadline = Date.now() + READY_TIMEOUT_MS
  while (found.kind === 'unresponsive' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    found = await probe(files)
  }
  return found
}

/** The listener another start began at the same moment, once it answers: nothing was started here. */
async function theOtherOne(files: StateFiles): Promise<Started> {
  const found = await settled(files, await probe(files))
  if (found.kind === 'running') return { started: false, state: found.state, status: found.health }
  throw usageError(
    'Failed to start the listener: another start claimed the state folder at the same moment, and its listener did not answer.',
    'run `replaykit listen status`, then `replaykit listen start` again.',
    files.dir,
  )
}

/** The last lines of the listener's log, to show why it died. */
function logTail(files: StateFiles): string {
  try {
    const lines = readFileSync(files.log, 'utf8').trimEnd().split('\n').slice(-5)
    return lines.length > 0 && lines[0] !== '' ? `\n  ${lines.join('\n  ')}` : ''
  } catch {
    return ''
  }
}

/** Where a live session records without --out: a new file per session in the state folder. */
function defaultArtifact(files: StateFiles): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return join(files.dir, 'recordings', `listen-${stamp}.rpk`)
}

/** `listen start`'s output. */
export function startResult(result: Started, files: StateFiles, context: CommandContext): CommandResult {
  const { status } = result
  const artifact = status.artifact ?? result.state?.options.out
  if (result.started) {
    context.info(`replaykit: listening on ${status.url} (pid ${status.pid}, ${status.mode})`)
  } else {
    context.info(
      `replaykit: a listener already runs on ${status.url} (pid ${status.pid}, ${status.mode}); nothing started.`,
    )
  }
  if (artifact) context.info(`  recording into ${shown(artifact)}`)
  if (status.replay) context.info(`  replaying ${shown(status.replay)}`)
  if (result.started)
    context.info('  route your clients: eval "$(npx replaykit listen env)"; stop: npx replaykit listen stop')
  return {
    exitCode: EXIT_CODES.ok,
    json: {
      command: 'listen start',
      ok: true,
      started: result.started,
      ...statusJson(status),
      stateDir: files.dir,
      log: files.log,
    },
  }
}

/** The members of a status every JSON output shares. */
export function statusJson(status: GatewayStatus): Record<string, unknown> {
  return {
    pid: status.pid,
    url: status.url,
    port: status.port,
    mode: status.mode,
    artifact: status.artifact ?? null,
    replay: status.replay ?? null,
    startedAt: status.startedAt,
    requests: status.requests,
    errors: status.errors,
    synthetic: status.synthetic,
    syntheticRefused: status.syntheticRefused ?? 0,
    degraded: status.degraded,
    interrupted: status.interrupted ?? 0,
  }
}
