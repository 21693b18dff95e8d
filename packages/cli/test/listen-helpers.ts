/**
 * Helpers for the `replaykit listen` tests: run a listen action in a temp
 * project, read its JSON, and make sure no background listener outlives a test.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type CliResult, cliAsync } from './helpers.js'

/** Run `replaykit listen …` in `dir`. */
export function listen(args: readonly string[], dir: string, env: Record<string, string> = {}): Promise<CliResult> {
  return cliAsync(['listen', ...args], dir, env)
}

/** Run `replaykit listen … --json` and parse its object (from stdout, or stderr for `run`). */
export async function listenJson(
  args: readonly string[],
  dir: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; json: Record<string, unknown>; result: CliResult }> {
  // Before `--`: what follows it is the command's.
  const end = args.indexOf('--')
  const withJson = end < 0 ? [...args, '--json'] : [...args.slice(0, end), '--json', ...args.slice(end)]
  const result = await listen(withJson, dir, env)
  const text = args[0] === 'run' ? result.stderr.slice(result.stderr.indexOf('{')) : result.stdout
  let json: Record<string, unknown>
  try {
    json = JSON.parse(text) as Record<string, unknown>
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`)
  }
  return { code: result.code, json, result }
}

/** Kill the listener of a state folder if a failed test left one running. */
export function killListener(stateDir: string): void {
  let pid: number
  try {
    pid = Number.parseInt(readFileSync(join(stateDir, 'listen.pid'), 'utf8'), 10)
  } catch {
    return
  }
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // Already gone.
  }
}

/** Whether a process runs: a zombie (exited, not reaped yet by init) does not. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return true
  }
}
