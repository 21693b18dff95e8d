/**
 * `replaykit listen run [start options] -- <command…>`: the one-shell
 * workflow. Start a listener, run the command with the routing env set, stop
 * the listener (finishing the artifact), and exit with the command's code.
 */
import { spawn } from 'node:child_process'
import type { GatewayOptions } from '@replaykit/core/gateway'
import type { CommandContext, CommandResult } from '../../context.js'
import { usageError } from '../../usage-error.js'
import { startListener } from './start.js'
import type { StateFiles } from './state.js'
import { stopListener, stopResult } from './stop.js'

export async function runWithListener(
  command: string[],
  options: GatewayOptions,
  files: StateFiles,
  bin: string,
  context: CommandContext,
): Promise<CommandResult> {
  const [program, ...args] = command
  if (!program) {
    throw usageError(
      'Failed to read the arguments: no command to run after `--`.',
      'give the command after `--`, e.g. `replaykit listen run --out session.rpk -- python agent.py`.',
      '--',
    )
  }
  const started = await startListener(options, files, bin, context)
  if (!started.started) {
    // The running one belongs to someone else's session: stopping it at the end would cut theirs short.
    throw usageError(
      `Failed to run: a listener already runs on ${started.status.url} (pid ${started.status.pid}).`,
      'stop it with `replaykit listen stop`, or run the command through it: `eval "$(replaykit listen env)"; <command>`.',
      files.dir,
    )
  }
  const { gatewayEnv } = await import('@replaykit/core/gateway')
  const routing = gatewayEnv(started.status.url)
  context.note(`replaykit: listening on ${routing.url} (${started.status.mode}); running ${program}`)
  let exitCode: number
  try {
    exitCode = await runCommand(program, args, routing.env)
  } catch (error) {
    await stopListener(files)
    throw error
  }
  const stopped = stopResult(await stopListener(files), context, 'listen run')
  return {
    exitCode: exitCode !== 0 ? exitCode : stopped.exitCode,
    json: { ...stopped.json, command: 'listen run', programExitCode: exitCode },
    jsonStream: 'stderr',
  }
}

/** Run the command with the env added; its stdio is its own; Ctrl-C reaches it, not us. */
function runCommand(program: string, args: string[], vars: Record<string, string>): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const child = spawn(program, args, { stdio: 'inherit', env: { ...process.env, ...vars } })
    // The terminal sends SIGINT to the whole group; the command decides, and the listener is stopped after it.
    const forward = (signal: NodeJS.Signals): void => {
      child.kill(signal)
    }
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
    for (const signal of signals) process.on(signal, forward)
    const done = (): void => {
      for (const signal of signals) process.off(signal, forward)
    }
    child.on('error', (error) => {
      done()
      reject(
        usageError(
          `Failed to start the command: ${error.message}.`,
          'check the command after `--` (is it installed and on PATH?).',
          program,
        ),
      )
    })
    child.on('exit', (code, signal) => {
      done()
      resolve(code ?? 128 + signalNumber(signal))
    })
  })
}

function signalNumber(signal: NodeJS.Signals | null): number {
  const numbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }
  return signal ? (numbers[signal] ?? 1) : 1
}
