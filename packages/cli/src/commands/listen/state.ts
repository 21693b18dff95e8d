/**
 * The listener's files in the state folder (`.replaykit/` in the working
 * folder, or `$REPLAYKIT_STATE_DIR`), and whether the process they name is
 * really the listener: checked against the process table and the health route,
 * never only by the file.
 *
 * - `listen.pid`: the listener's PID, created exclusively by the listener itself.
 * - `listen.json`: its state once it answers (pid, url, port, options).
 * - `listen-summary.json`: what the last listener wrote, left by it when it stopped.
 * - `listen-error-<pid>.json`: why that listener failed to start, for the `start` that spawned it
 *   (one file per process: starts at the same moment must not overwrite or remove each other's).
 * - `listen.log`: its redacted log lines.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { get } from 'node:http'
import { join, resolve } from 'node:path'
import { isPidAlive } from '@replaykit/core'
import type { GatewayOptions, GatewayStatus, GatewaySummary } from '@replaykit/core/gateway'

/** The variable that moves the state folder. */
export const STATE_DIR_ENV = 'REPLAYKIT_STATE_DIR'

export interface ListenState {
  pid: number
  url: string
  port: number
  startedAt: string
  /** The options the listener was started with (paths absolute). */
  options: GatewayOptions
}

export interface StateFiles {
  dir: string
  pid: string
  state: string
  summary: string
  log: string
}

/** Where the listener with `pid` leaves why it failed to start. */
export function errorFile(files: StateFiles, pid: number): string {
  return join(files.dir, `listen-error-${pid}.json`)
}

export function stateFiles(env: Record<string, string | undefined>, cwd: string = process.cwd()): StateFiles {
  const dir = resolve(cwd, env[STATE_DIR_ENV] || '.replaykit')
  return {
    dir,
    pid: join(dir, 'listen.pid'),
    state: join(dir, 'listen.json'),
    summary: join(dir, 'listen-summary.json'),
    log: join(dir, 'listen.log'),
  }
}

export function ensureStateDir(files: StateFiles): void {
  mkdirSync(files.dir, { recursive: true })
}

/** A JSON file's content, or undefined when it is missing or half-written. */
export function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T
  } catch {
    return undefined
  }
}

/** Write through a temp file and a rename, so readers never see half a file. */
export function writeJson(file: string, value: unknown): void {
  const temp = `${file}.${process.pid}.tmp`
  // Owner-only: the state holds the options, and an upstream URL may carry credentials.
  writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 })
  // A rename is atomic on one file system; the temp file sits beside the target.
  renameSync(temp, file)
}

export function readPid(files: StateFiles): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(files.pid, 'utf8').trim(), 10)
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

/** Remove what a listener that is gone left behind (its PID and state files). */
export function clearListener(files: StateFiles): void {
  rmSync(files.pid, { force: true })
  rmSync(files.state, { force: true })
}

/**
 * Whether the process is a listener, not another program that got the PID of
 * a crashed one: on Linux its command line names the hidden serve action.
 */
export function isListenerProcess(pid: number): boolean {
  if (!isPidAlive(pid)) return false
  const cmdline = `/proc/${pid}/cmdline`
  if (!existsSync('/proc/self/cmdline')) return true
  try {
    return readFileSync(cmdline, 'utf8').split('\0').includes(SERVE_ACTION)
  } catch {
    return false
  }
}

/** The hidden action of the background process (`replaykit listen __serve`). */
export const SERVE_ACTION = '__serve'

/**
 * The gateway options for the background process, as JSON.
 *
 * @note In the environment, not the arguments: anyone on the machine can read a
 * command line (`ps`), and an upstream URL may carry credentials.
 */
export const CONFIG_ENV = 'REPLAYKIT_LISTEN_CONFIG'

/**
 * The listener's own status from its health route, or undefined when it does not answer.
 *
 * @note node:http, not fetch: fetch refuses the ports browsers block (1, 22, 6000, …), and
 * `--port` may name any of them.
 */
export function fetchHealth(url: string, timeoutMs = 2000): Promise<GatewayStatus | undefined> {
  return new Promise((resolve) => {
    const request = get(`${url}/__replaykit/health`, { timeout: timeoutMs, agent: false }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        body += chunk
      })
      response.on('error', () => resolve(undefined))
      response.on('end', () => {
        try {
          resolve(response.statusCode === 200 ? (JSON.parse(body) as GatewayStatus) : undefined)
        } catch {
          resolve(undefined)
        }
      })
    })
    request.on('timeout', () => request.destroy())
    request.on('error', () => resolve(undefined))
  })
}

export type Probe =
  | { kind: 'none' }
  /** A PID file or state file whose process is gone (a crashed listener): `cleaned` after removal. */
  | { kind: 'stale'; pid?: number }
  /** Started and not answering yet (or no longer). */
  | { kind: 'unresponsive'; pid: number; state?: ListenState }
  | { kind: 'running'; pid: number; state: ListenState; health: GatewayStatus }

/** What runs now, according to the process table and the health route. */
export async function probe(files: StateFiles): Promise<Probe> {
  const state = readJson<ListenState>(files.state)
  const pid = readPid(files) ?? state?.pid
  if (pid === undefined) return { kind: 'none' }
  if (!isListenerProcess(pid)) return { kind: 'stale', pid }
  const health = state ? await fetchHealth(state.url) : undefined
  if (state && health && health.pid === pid) return { kind: 'running', pid, state, health }
  return state ? { kind: 'unresponsive', pid, state } : { kind: 'unresponsive', pid }
}

export type { GatewaySummary }
