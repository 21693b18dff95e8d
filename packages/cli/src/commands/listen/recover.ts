/**
 * A listener found gone (killed with -9, crashed): before its state files are
 * removed, its artifact is put in order, so that what it had in flight is not
 * lost: core's `recoverRecording` writes each exchange it left in flight into
 * the artifact as interrupted (an `error.event` RPK_GATEWAY_INTERRUPTED), which
 * `replaykit inspect` then shows. Run by `listen status`, `stop` and `start`.
 */
import { existsSync } from 'node:fs'
import { shown } from './paths.js'
import { clearListener, type ListenState, readJson, type StateFiles } from './state.js'

export interface StaleRecovery {
  artifact: string
  /** Exchanges written as interrupted. */
  interrupted: number
  /** Why the artifact could not be recovered (it is then recovered by the next listener on it). */
  error?: string
}

/** Recover the gone listener's artifact, then remove its state. Undefined when it recorded nothing to recover. */
export async function clearStale(files: StateFiles): Promise<StaleRecovery | undefined> {
  const out = readJson<ListenState>(files.state)?.options?.out
  let recovered: StaleRecovery | undefined
  if (typeof out === 'string' && existsSync(`${out}.inflight`)) {
    try {
      // Loaded only here: `status` and `stop` do not load the gateway otherwise.
      const { recoverRecording } = await import('@replaykit/core/gateway')
      const { interrupted } = recoverRecording(out)
      if (interrupted > 0) recovered = { artifact: out, interrupted }
    } catch (error) {
      recovered = { artifact: out, interrupted: 0, error: error instanceof Error ? error.message : String(error) }
    }
  }
  clearListener(files)
  return recovered
}

/** The line that says what the recovery wrote (or why it could not). */
export function recoveryLine(recovered: StaleRecovery): string {
  if (recovered.error) {
    return `replaykit: the artifact ${shown(recovered.artifact)} of the listener that is gone was not recovered (${recovered.error}); the next listener on it recovers it.`
  }
  const n = recovered.interrupted
  return `replaykit: the listener that is gone left ${n} exchange${n === 1 ? '' : 's'} in flight: written to ${shown(recovered.artifact)} as interrupted (see \`replaykit inspect\`).`
}

/** The recovery in `--json` output. */
export function recoveryJson(recovered: StaleRecovery | undefined): Record<string, unknown> {
  if (!recovered) return {}
  return {
    recovered: {
      artifact: recovered.artifact,
      interrupted: recovered.interrupted,
      ...(recovered.error ? { error: recovered.error } : {}),
    },
  }
}
