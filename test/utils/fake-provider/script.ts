/**
 * The default script of the fake model, deterministic for a given conversation:
 * - after a tool result (sent since the last user message): a final text quoting the output (for a
 *   coding agent's shell tool, `The command printed: <output>`, without Codex's per-run header);
 * - when `get_weather` is declared and no tool result exists yet: `get_weather({city})`, the
 *   city taken from the user text ("weather in Paris?") or Oslo;
 * - when a coding agent's shell tool is declared (Codex CLI's `exec_command`, Claude Code's
 *   `Bash`) and the user text names a command in backticks ("run `echo hi`"), with no tool result
 *   yet: one call of that tool running the command (see agentShellCall);
 * - otherwise `echo: <last user text>`.
 *
 * Magic model names script failures for any provider route:
 * `fake-error` / `fake-error-<status>` (provider-shaped error body), `fake-interrupt`
 * (the stream or body is cut mid-way), `fake-malformed` (one SSE event is not JSON).
 */
import { hasAgentShell, shellOutputOf } from './agents.js'
import type { FakeReply, FakeReplyScript, FakeTurn } from './types.js'

export function defaultReply(turn: FakeTurn): FakeReply {
  if (turn.toolOutputs.length > 0 && hasAgentShell(turn.tools))
    return { type: 'text', text: `The command printed: ${turn.toolOutputs.map(shellOutputOf).join(' | ')}` }
  if (turn.toolOutputs.length > 0) return { type: 'text', text: `The tool returned: ${turn.toolOutputs.join(' | ')}` }
  if (turn.tools.includes('get_weather') && !turn.hasToolResult) {
    return { type: 'tool', name: 'get_weather', arguments: { city: cityOf(turn.lastUserText) } }
  }
  const shell = turn.hasToolResult ? undefined : agentShellCall(turn)
  if (shell) return shell
  return { type: 'text', text: `echo: ${turn.lastUserText}` }
}

export function scriptedReply(turn: FakeTurn, script: FakeReplyScript | undefined): FakeReply {
  return script?.(turn) ?? defaultReply(turn)
}

/** "weather in New York?" → "New York"; Oslo when no place is named. */
export function cityOf(text: string): string {
  return /\b(?:in|for|at)\s+(\p{Lu}[\p{L}'-]*(?:\s+\p{Lu}[\p{L}'-]*)*)/u.exec(text)?.[1] ?? 'Oslo'
}

/**
 * The one shell call a coding agent is scripted to make: the first backticked command of the
 * user text, in the argument shape of the agent's own shell tool.
 */
export function agentShellCall(turn: FakeTurn): FakeReply | undefined {
  const command = /`([^`]+)`/.exec(turn.lastUserText)?.[1]
  if (!command) return undefined
  if (turn.tools.includes('exec_command')) return { type: 'tool', name: 'exec_command', arguments: { cmd: command } }
  if (turn.tools.includes('Bash'))
    return { type: 'tool', name: 'Bash', arguments: { command, description: 'Run the requested command' } }
  return undefined
}

/** What a magic model name asks for. */
export type Fault = { type: 'error'; status: number } | { type: 'interrupt' } | { type: 'malformed' } | undefined

export function faultOf(model: string): Fault {
  const error = /^fake-error(?:-(\d{3}))?$/.exec(model)
  if (error) return { type: 'error', status: Number(error[1] ?? 400) }
  if (model === 'fake-interrupt') return { type: 'interrupt' }
  if (model === 'fake-malformed') return { type: 'malformed' }
  return undefined
}
