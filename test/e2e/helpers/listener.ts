/**
 * `replaykit listen` driven as a user drives it: the packed CLI installed in a temporary
 * project, run with the project as working folder (state files under its `.replaykit/`).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'
import type { RunResult, TempProject } from './project.js'

export const CLI = 'node_modules/@replaykit/cli/bin/replaykit.js'

export interface Listener {
  /** `replaykit listen <args…> --json`: its exit code and parsed JSON output. */
  listen(args: string[]): Promise<{ result: RunResult; json: Record<string, unknown> }>
  /** `listen start` with these flags; resolves the listener's url once it answers. */
  start(flags: string[]): Promise<string>
  stop(): Promise<Record<string, unknown>>
  /** `listen env --json`: { url, env, codexArgs }. */
  env(): Promise<{ url: string; env: Record<string, string>; codexArgs: string[] }>
  /** The running listener's PID, from its state file. */
  pid(): number
}

export function listenerOf(project: TempProject): Listener {
  const listen: Listener['listen'] = async (args) => {
    const result = await project.run(CLI, ['listen', ...args, '--json'])
    let json: Record<string, unknown> = {}
    try {
      json = JSON.parse(result.stdout) as Record<string, unknown>
    } catch {
      throw new Error(`replaykit listen ${args.join(' ')} printed no JSON (exit ${result.code}):\n${result.output}`)
    }
    return { result, json }
  }
  return {
    listen,
    async start(flags) {
      const { result, json } = await listen(['start', '--port', '0', ...flags])
      expect(result.code, result.output).toBe(0)
      return String(json.url)
    },
    async stop() {
      const { result, json } = await listen(['stop'])
      expect(result.code, result.output).toBe(0)
      return json
    },
    async env() {
      const { result, json } = await listen(['env'])
      expect(result.code, result.output).toBe(0)
      return json as unknown as { url: string; env: Record<string, string>; codexArgs: string[] }
    },
    pid() {
      const state = JSON.parse(readFileSync(join(project.dir, '.replaykit', 'listen.json'), 'utf8')) as { pid: number }
      return state.pid
    },
  }
}
