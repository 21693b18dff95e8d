/**
 * `replaykit listen status`: whether a listener runs, checked against the
 * process table and its health route (a PID file alone proves nothing), and
 * what it has done so far.
 */
import type { CommandContext, CommandResult } from '../../context.js'
import { EXIT_CODES } from '../../exit-codes.js'
import { shown } from './paths.js'
import { clearStale, recoveryJson, recoveryLine } from './recover.js'
import { statusJson } from './start.js'
import { probe, type StateFiles } from './state.js'

export async function status(files: StateFiles, context: CommandContext): Promise<CommandResult> {
  const found = await probe(files)
  const base = { command: 'listen status', ok: true, stateDir: files.dir }
  if (found.kind === 'running') {
    const { health } = found
    context.info(
      `replaykit: a listener runs on ${health.url} (pid ${health.pid}, ${health.mode}, since ${health.startedAt})`,
    )
    if (health.artifact) context.info(`  artifact: ${shown(health.artifact)}`)
    if (health.replay) context.info(`  replaying: ${shown(health.replay)}`)
    context.info(`  requests: ${health.requests}, errors: ${health.errors}, synthetic answers: ${health.synthetic}`)
    if (health.interrupted) {
      context.info(
        `  interrupted: ${health.interrupted} exchange${health.interrupted === 1 ? '' : 's'} a killed listener left in flight, written to the artifact as interrupted`,
      )
    }
    for (const fault of health.degraded) context.failure(`  degraded: ${fault}`)
    return { exitCode: EXIT_CODES.ok, json: { ...base, running: true, responding: true, ...statusJson(health) } }
  }
  if (found.kind === 'unresponsive') {
    context.failure(
      `replaykit: a listener process runs (pid ${found.pid}) but its health route does not answer; stop it with \`replaykit listen stop\`.`,
    )
    return {
      exitCode: EXIT_CODES.ok,
      json: { ...base, running: true, responding: false, pid: found.pid, url: found.state?.url ?? null },
    }
  }
  if (found.kind === 'stale') {
    const recovered = await clearStale(files)
    context.info(`replaykit: no listener runs (removed the state of pid ${found.pid}, which is gone).`)
    if (recovered) context.info(recoveryLine(recovered))
    return {
      exitCode: EXIT_CODES.ok,
      json: { ...base, running: false, staleCleaned: true, ...recoveryJson(recovered) },
    }
  }
  context.info('replaykit: no listener runs; start one with `replaykit listen start`.')
  return { exitCode: EXIT_CODES.ok, json: { ...base, running: false, staleCleaned: false } }
}
