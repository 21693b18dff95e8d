/**
 * `replaykit listen env`: copy-paste exports that route clients through the
 * running listener, for sh/bash/zsh, fish or PowerShell, plus the Codex CLI
 * arguments (Codex ignores OPENAI_BASE_URL: it needs a custom model provider,
 * given with `-c` overrides).
 */
import type { CommandResult } from '../../context.js'
import { EXIT_CODES } from '../../exit-codes.js'
import { usageError } from '../../usage-error.js'
import { probe, type StateFiles } from './state.js'

export const SHELLS = ['sh', 'fish', 'powershell'] as const
export type Shell = (typeof SHELLS)[number]

export function shellFlag(value: unknown): Shell {
  if (value === undefined) return 'sh'
  if (typeof value === 'string' && (SHELLS as readonly string[]).includes(value)) return value as Shell
  throw usageError(
    `Failed to read the arguments: --shell must be one of ${SHELLS.join(', ')}, not ${JSON.stringify(value === true ? '' : value)}.`,
    'use --shell sh (also bash and zsh), --shell fish or --shell powershell.',
    '--shell',
  )
}

/** `print` writes one line of the output (not left out by --quiet: the lines are the output, meant for `eval`). */
export async function env(files: StateFiles, shell: Shell, print: (line: string) => void): Promise<CommandResult> {
  const found = await probe(files)
  if (found.kind !== 'running') {
    throw usageError(
      `Failed to print the environment: no listener runs${found.kind === 'unresponsive' ? ' that answers' : ''} (state folder ${files.dir}).`,
      'start one with `replaykit listen start`, then run `eval "$(replaykit listen env)"`.',
      files.dir,
    )
  }
  const { gatewayEnv } = await import('@replaykit/core/gateway')
  const routing = gatewayEnv(found.health.url)
  for (const line of envLines(routing.env, routing.codexArgs, shell)) print(line)
  return {
    exitCode: EXIT_CODES.ok,
    json: { command: 'listen env', ok: true, url: routing.url, env: routing.env, codexArgs: routing.codexArgs },
  }
}

/** The lines for one shell: one export per variable and the Codex arguments as a comment. */
export function envLines(vars: Record<string, string>, codexArgs: string[], shell: Shell): string[] {
  const lines = Object.entries(vars).map(([name, value]) => {
    if (shell === 'fish') return `set -gx ${name} ${fishQuote(value)}`
    if (shell === 'powershell') return `$env:${name} = ${powershellQuote(value)}`
    return `export ${name}=${shQuote(value)}`
  })
  const quote = shell === 'fish' ? fishQuote : shell === 'powershell' ? powershellQuote : shQuote
  lines.push(`# Codex CLI ignores OPENAI_BASE_URL; route it with: codex ${codexArgs.map(quote).join(' ')} exec …`)
  return lines
}

/** A word for sh: bare when safe, else single-quoted (a quote inside as '\''). */
function shQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`
}

/** fish: single quotes, with \ and ' escaped by a backslash. */
function fishQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`
}

/** PowerShell: single quotes, a quote inside doubled. */
function powershellQuote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`
}
