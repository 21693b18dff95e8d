/**
 * Run the real coding agents (Codex CLI and Claude Code, pinned devDependencies) offline against
 * a local server: the fake provider, or the gateway in front of it. Each run gets scratch home
 * folders (CODEX_HOME, HOME, CLAUDE_CONFIG_DIR) so nothing of the machine's user leaks in or out,
 * a clean environment (no inherited provider keys), and the agents' telemetry, update checks and
 * plugin/app syncs turned off: with these settings neither agent opens a connection to anything
 * but the given base URL (checked with strace on this machine, 2026-12-03).
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FAKE_AGENT_KEY } from './fake-provider/agents.js'

export { FAKE_AGENT_KEY }

const BIN = fileURLToPath(new URL('../../node_modules/.bin/', import.meta.url))

export type AgentKind = 'codex' | 'claude'

/** The one short task each agent is scripted for: one shell call, then a final answer. */
export const AGENT_PROMPT = 'run `echo replaykit-tool-ok` and tell me what it printed'
export const AGENT_ANSWER = 'The command printed: replaykit-tool-ok'

/** Codex settings that keep it off the network except for the model provider. */
const CODEX_QUIET = [
  'analytics.enabled=false',
  'check_for_update_on_startup=false',
  // Without these two Codex resolves github.com and chatgpt.com (plugin and app catalogues).
  'features.plugins=false',
  'features.apps=false',
]

/**
 * Codex 0.169 ignores OPENAI_BASE_URL: it is routed by a custom model provider given with `-c`
 * overrides. `base` ends in /v1.
 */
export function codexRouteArgs(base: string): string[] {
  const provider = `{name="rec",base_url="${base}",env_key="OPENAI_API_KEY",wire_api="responses",supports_websockets=false}`
  return ['-c', 'model_provider=rec', '-c', `model_providers.rec=${provider}`]
}

export interface AgentRunOptions {
  /** Codex: its `-c` routing arguments (codexRouteArgs or `replaykit listen env --json`'s codexArgs). */
  codexArgs?: string[]
  /** Claude Code: ANTHROPIC_BASE_URL (no /v1). */
  anthropicBaseUrl?: string
  prompt?: string
  /**
   * The agent's home (HOME, CODEX_HOME, CLAUDE_CONFIG_DIR under it), kept after the run: give the
   * same one to a live run and its replay, since both agents put paths under it into the prompt
   * and keep an installation/device id there. Default: a scratch folder removed after the run.
   */
  home?: string
  /** The folder the agent works in (default: `work` under the home). */
  cwd?: string
  apiKey?: string
  timeoutMs?: number
}

export interface AgentRun {
  code: number | null
  stdout: string
  stderr: string
  /** stdout's JSON lines. */
  events: Record<string, unknown>[]
  /** The agent's final answer: Codex's last agent_message, Claude Code's result. */
  answer: string | undefined
}

/** A scratch home for runAgent's `home` option; the caller removes it. */
export function agentHome(kind: AgentKind): string {
  return mkdtempSync(join(tmpdir(), `replaykit-${kind}-home-`))
}

/** Run one agent task to its end (killed after `timeoutMs`, default 60 s). */
export async function runAgent(kind: AgentKind, options: AgentRunOptions): Promise<AgentRun> {
  const home = options.home ?? mkdtempSync(join(tmpdir(), `replaykit-${kind}-home-`))
  const cwd = options.cwd ?? join(home, 'work')
  mkdirSync(cwd, { recursive: true })
  const key = options.apiKey ?? FAKE_AGENT_KEY
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8' }
  let args: string[]
  if (kind === 'codex') {
    if (!options.codexArgs) throw new Error('runAgent(codex) needs codexArgs')
    Object.assign(env, { CODEX_HOME: join(home, '.codex'), OPENAI_API_KEY: key })
    mkdirSync(env.CODEX_HOME!, { recursive: true })
    args = ['exec', '--skip-git-repo-check', '--json', ...options.codexArgs]
    for (const setting of CODEX_QUIET) args.push('-c', setting)
    args.push('-m', 'gpt-5', options.prompt ?? AGENT_PROMPT)
  } else {
    if (!options.anthropicBaseUrl) throw new Error('runAgent(claude) needs anthropicBaseUrl')
    Object.assign(env, {
      CLAUDE_CONFIG_DIR: join(home, '.claude'),
      ANTHROPIC_BASE_URL: options.anthropicBaseUrl,
      ANTHROPIC_API_KEY: key,
      DISABLE_TELEMETRY: '1',
      DISABLE_ERROR_REPORTING: '1',
      DISABLE_AUTOUPDATER: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      // Older versions changed an attribution block of the system prompt per request.
      CLAUDE_CODE_ATTRIBUTION_HEADER: '0',
    })
    args = ['-p', options.prompt ?? AGENT_PROMPT, '--output-format', 'stream-json', '--verbose']
    args.push('--allowedTools', 'Bash')
  }
  try {
    const { code, stdout, stderr } = await run(join(BIN, kind), args, cwd, env, options.timeoutMs ?? 60_000)
    const events = stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
    return { code, stdout, stderr, events, answer: answerOf(kind, events) }
  } finally {
    if (!options.home) rmSync(home, { recursive: true, force: true })
  }
}

function answerOf(kind: AgentKind, events: Record<string, unknown>[]): string | undefined {
  if (kind === 'claude') {
    const result = events.findLast((event) => event.type === 'result')
    return typeof result?.result === 'string' ? result.result : undefined
  }
  const item = events
    .map((event) => event.item as Record<string, unknown> | undefined)
    .findLast((it) => it?.type === 'agent_message')
  return typeof item?.text === 'string' ? item.text : undefined
}

function run(
  file: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}
