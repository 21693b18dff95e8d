/**
 * `replaykit listen run [start options] -- <command…>`: the one-shell
 * workflow. Start a listener, run the command with the routing env set, stop
 * the listener (finishing the artifact), and exit with the command's code.
 */
import type { GatewayOptions } from '@replaykit/core/gateway'
import type { CommandContext, CommandResult } from '../../context.js'
import { EXIT_CODES } from '../../exit-codes.js'
import { commandAfterDashes, spawnCommand } from '../../spawn-command.js'
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
  const [program, args] = commandAfterDashes(command, {
    noun: 'command',
    example: 'replaykit listen run --out session.rpk -- python agent.py',
  })
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
    // The terminal sends SIGINT to the whole group: the command decides, and the listener is stopped after it.
    exitCode = await spawnCommand(program, args, {
      noun: 'command',
      env: { ...process.env, ...routing.env },
      forwardSignals: true,
    })
  } catch (error) {
    await stopListener(files)
    throw error
  }
  // stdout is the command's: what the listener wrote is told on stderr.
  const toStderr: CommandContext = { ...context, info: context.note, failure: context.note }
  const result = await stopListener(files)
  if (!result.stopped) {
    // It died while the command ran (killed, or crashed): the command's traffic after that went nowhere.
    context.note(
      `replaykit: the listener (pid ${started.status.pid}) ended before the command did; ${started.status.artifact ? `${started.status.artifact} holds what its journal had` : 'nothing more was recorded'}.`,
    )
    return {
      exitCode: exitCode !== 0 ? exitCode : EXIT_CODES.failed,
      json: {
        command: 'listen run',
        ok: false,
        stopped: false,
        listenerDied: true,
        pid: started.status.pid,
        artifact: started.status.artifact ?? null,
        programExitCode: exitCode,
      },
      jsonStream: 'stderr',
    }
  }
  const stopped = stopResult(result, toStderr, 'listen run')
  return {
    exitCode: exitCode !== 0 ? exitCode : stopped.exitCode,
    json: { ...stopped.json, command: 'listen run', programExitCode: exitCode },
    jsonStream: 'stderr',
  }
}
