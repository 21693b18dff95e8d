/**
 * The command after `--` (`record`, `replay`, `listen run`): read from the
 * arguments, run with its own stdio, and its end turned into an exit code the
 * way a shell does (128 + the signal's number).
 */
import { spawn } from 'node:child_process'
import { usageError } from './usage-error.js'

/** What the messages call it ('program' or 'command') and an example of the whole line. */
export interface CommandWords {
  noun: string
  example: string
}

/** The program and its arguments; a usage error when nothing follows `--`. */
export function commandAfterDashes(command: string[], words: CommandWords): [string, string[]] {
  const [program, ...args] = command
  if (!program) {
    throw usageError(
      `Failed to read the arguments: no ${words.noun} to run after \`--\`.`,
      `give the command after \`--\`, e.g. \`${words.example}\`.`,
      '--',
    )
  }
  return [program, args]
}

export interface SpawnOptions {
  env: NodeJS.ProcessEnv
  noun: string
  /**
   * Pass SIGINT, SIGTERM and SIGHUP on to the command while it runs (and do not
   * die of them here): the command decides, and what follows it still runs.
   */
  forwardSignals?: boolean
}

/** Run `program` with inherited stdio; resolves with its exit code, rejects when it cannot start. */
export function spawnCommand(program: string, args: string[], options: SpawnOptions): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const child = spawn(program, args, { stdio: 'inherit', env: options.env })
    const signals = options.forwardSignals ? (['SIGINT', 'SIGTERM', 'SIGHUP'] as const) : []
    const forward = (signal: NodeJS.Signals): void => {
      child.kill(signal)
    }
    for (const signal of signals) process.on(signal, forward)
    const done = (): void => {
      for (const signal of signals) process.off(signal, forward)
    }
    child.on('error', (error) => {
      done()
      reject(
        usageError(
          `Failed to start the ${options.noun}: ${error.message}.`,
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
