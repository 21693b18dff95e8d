/**
 * What every command gets: the global flags, where to write, and colours.
 *
 * Commands print human text through `info` (left out by --quiet) and `failure`
 * (always shown), and return their JSON object; `main` prints one or the other,
 * so --json output never mixes with text.
 */
import { redactPrinted } from '@replaykit/core'
import picocolors from 'picocolors'

/** The process around the CLI; replaced in tests that run it in-process. */
export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  env: Record<string, string | undefined>
  /** Whether stdout is a terminal (colours default on). */
  isTTY: boolean
  /** The capture preload that `record` and `replay` load into the program (set by the bin shim). */
  preload?: string
  /** The `replaykit` binary, which `listen start` runs again as the background listener (set by the bin shim). */
  bin?: string
}

export interface GlobalOptions {
  json: boolean
  quiet: boolean
  color: boolean
  debug: boolean
}

export type Colors = ReturnType<typeof picocolors.createColors>

export interface CommandContext {
  options: GlobalOptions
  colors: Colors
  /** A line of normal output; not printed with --quiet or --json. */
  info: (line: string) => void
  /** A line about a failure or a difference; not printed with --json. */
  failure: (line: string) => void
  /**
   * A line on stderr, for commands that run a program (`record`, `replay`): its stdout is
   * its own. Not printed with --json.
   */
  note: (line: string) => void
}

/** The result of a command: its exit code and the object --json prints. */
export interface CommandResult {
  exitCode: number
  json: { [key: string]: unknown }
  /** Where --json goes: stdout, or stderr when stdout belongs to a program the command ran. */
  jsonStream?: 'stdout' | 'stderr'
}

export { useColor } from './color.js'

export function createContext(options: GlobalOptions, io: CliIo): CommandContext {
  // @note The last line of defence: what a command prints passes the built-in secret rules.
  const print = (line: string): void => io.stdout(`${redactPrinted(line)}\n`)
  return {
    options,
    colors: picocolors.createColors(options.color),
    info: options.json || options.quiet ? () => {} : print,
    failure: options.json ? () => {} : print,
    note: options.json ? () => {} : (line) => io.stderr(`${redactPrinted(line)}\n`),
  }
}
