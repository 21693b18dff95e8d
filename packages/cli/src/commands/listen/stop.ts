/**
 * `replaykit listen stop`: signal the listener, wait while it finishes the
 * artifact, and report what it wrote (from the summary it leaves behind).
 */
import { isPidAlive } from '@replaykit/core'
import type { GatewaySummary } from '@replaykit/core/gateway'
import type { CommandContext, CommandResult } from '../../context.js'
import { EXIT_CODES } from '../../exit-codes.js'
import type { ErrorRecord } from './error-record.js'
import { shown } from './paths.js'
import { clearStale, recoveryJson, recoveryLine, type StaleRecovery } from './recover.js'
import { statusJson } from './start.js'
import { clearListener, probe, readJson, type StateFiles } from './state.js'

/** How long the listener gets to finish its artifact before it is killed. */
const STOP_TIMEOUT_MS = 30_000

export type Stopped =
  | { stopped: false; staleCleaned: boolean; recovered?: StaleRecovery }
  | {
      stopped: true
      pid: number
      killed: boolean
      summary?: GatewaySummary & { stoppedAt?: string; error?: ErrorRecord }
      /** Killed after the wait: what it had in flight, written into its artifact as interrupted. */
      recovered?: StaleRecovery
    }

export async function stopListener(files: StateFiles): Promise<Stopped> {
  const found = await probe(files)
  if (found.kind === 'none') return { stopped: false, staleCleaned: false }
  if (found.kind === 'stale') {
    const recovered = await clearStale(files)
    return { stopped: false, staleCleaned: true, ...(recovered ? { recovered } : {}) }
  }
  const pid = found.pid
  try {
    process.kill(pid, 'SIGTERM')
  } catch {
    // It ended between the probe and the signal: what it left is read below.
  }
  let killed = false
  const deadline = Date.now() + STOP_TIMEOUT_MS
  while (isPidAlive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL')
      killed = true
      break
    }
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  const recovered = killed ? await clearStale(files) : undefined
  if (!killed) clearListener(files)
  const summary = readJson<GatewaySummary & { stoppedAt?: string; error?: ErrorRecord }>(files.summary)
  return {
    stopped: true,
    pid,
    killed,
    ...(summary && summary.pid === pid ? { summary } : {}),
    ...(recovered ? { recovered } : {}),
  }
}

export async function stop(files: StateFiles, context: CommandContext): Promise<CommandResult> {
  const result = await stopListener(files)
  return stopResult(result, context, 'listen stop')
}

export function stopResult(result: Stopped, context: CommandContext, command: string): CommandResult {
  if (!result.stopped) {
    context.info(
      result.staleCleaned
        ? 'replaykit: no listener runs (removed the state of one that is gone).'
        : 'replaykit: no listener runs; nothing to stop.',
    )
    if (result.recovered) context.info(recoveryLine(result.recovered))
    return {
      exitCode: EXIT_CODES.ok,
      json: { command, ok: true, stopped: false, staleCleaned: result.staleCleaned, ...recoveryJson(result.recovered) },
    }
  }
  const { summary } = result
  if (!summary) {
    context.failure(
      `replaykit: stopped the listener (pid ${result.pid})${result.killed ? ' with SIGKILL after it did not finish in time' : ''}; it left no summary (the artifact holds what its journal had).`,
    )
    if (result.recovered) context.info(recoveryLine(result.recovered))
    return {
      exitCode: EXIT_CODES.ok,
      json: {
        command,
        ok: true,
        stopped: true,
        pid: result.pid,
        killed: result.killed,
        written: null,
        ...recoveryJson(result.recovered),
      },
    }
  }
  const { written } = summary
  context.info(`replaykit: stopped the listener on ${summary.url} (pid ${summary.pid}).`)
  context.info(
    written.file
      ? `  wrote ${shown(written.file)}: ${written.runs} run${written.runs === 1 ? '' : 's'}, ${written.steps} step${written.steps === 1 ? '' : 's'}`
      : '  wrote no artifact',
  )
  context.info(`  requests: ${summary.requests}, errors: ${summary.errors}, synthetic answers: ${summary.synthetic}`)
  for (const fault of summary.degraded) context.failure(`  degraded: ${fault}`)
  if (summary.error) context.failure(`  the artifact could not be finished: ${summary.error.message}`)
  // --fail-on-synthetic: a refused synthetic answer fails the session, as a divergence fails a test.
  const refused = summary.syntheticRefused ?? 0
  if (refused > 0) {
    context.failure(
      `  refused ${refused} synthetic answer${refused === 1 ? '' : 's'} (--fail-on-synthetic): the client asked for what no upstream or recording answered.`,
    )
  }
  if (written.file) context.info(`  check it: npx replaykit inspect ${shown(written.file)}`)
  const ok = !summary.error && refused === 0
  return {
    exitCode: ok ? EXIT_CODES.ok : EXIT_CODES.failed,
    json: {
      command,
      ok,
      stopped: true,
      killed: result.killed,
      ...statusJson(summary),
      stoppedAt: summary.stoppedAt ?? null,
      written,
      ...(summary.error ? { error: summary.error } : {}),
    },
  }
}
