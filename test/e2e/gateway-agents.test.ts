/**
 * Codex CLI and Claude Code through `replaykit listen` (issue 13, Tests): each agent runs its
 * one scripted task (one shell call, then an answer) live through the listener into an `.rpk`;
 * then the same command runs through a listener in replay mode and gets the same final output
 * with zero upstream requests. The artifact holds the model and tool steps and no API key.
 * The packed CLI is installed in a temporary project; the agents are the repository's pinned
 * devDependencies, run offline with scratch homes (test/utils/coding-agents.ts).
 */
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from 'vitest'
import type { Step, ToolRequestStep, ToolResponseStep } from '../../packages/core/src/artifact/types.js'
import {
  AGENT_ANSWER,
  type AgentKind,
  type AgentRun,
  agentHome,
  FAKE_AGENT_KEY,
  runAgent,
} from '../utils/coding-agents.js'
import { type FakeProvider, startFakeProvider } from '../utils/fake-provider.js'
import { CLI, listenerOf } from './helpers/listener.js'
import { createProject, type TempProject } from './helpers/project.js'

let project: TempProject
let fake: FakeProvider

beforeAll(async () => {
  project = createProject({
    name: 'gateway-agents',
    packageJson: { type: 'module' },
    packages: ['@replaykit/core', '@replaykit/cli'],
  })
  fake = await startFakeProvider({ apiKeys: [FAKE_AGENT_KEY] })
})

afterAll(async () => {
  await project?.run(CLI, ['listen', 'stop'])
  await fake?.close()
  project?.dispose()
})

/** Run the agent through the running listener, routed as `replaykit listen env` says. */
async function agentThrough(kind: AgentKind, listener: ReturnType<typeof listenerOf>, home: string): Promise<AgentRun> {
  const routing = await listener.env()
  return kind === 'codex'
    ? runAgent('codex', { home, codexArgs: routing.codexArgs })
    : runAgent('claude', { home, anthropicBaseUrl: routing.env.ANTHROPIC_BASE_URL })
}

/** Each agent's shell tool, and words of the long instructions it resends on every request. */
const AGENTS: { kind: AgentKind; tool: string; instructions: string }[] = [
  { kind: 'codex', tool: 'exec_command', instructions: 'You are a coding agent running in the Codex CLI' },
  {
    kind: 'claude',
    tool: 'Bash',
    instructions: 'You are an interactive agent that helps users with software engineering',
  },
]

describe.each(AGENTS)('$kind through replaykit listen', ({ kind, tool, instructions }) => {
  test('records a session live, then replays it with the same final output and no upstream request', async () => {
    const listener = listenerOf(project)
    const rpk = join(project.dir, `${kind}-session.rpk`)
    const upstreams = ['--upstream', `openai=${fake.url}/v1`, '--upstream', `anthropic=${fake.url}`]
    // One home for both runs: the agents put paths under it into the prompt, as a user's rerun does.
    const home = agentHome(kind)
    onTestFinished(() => rmSync(home, { recursive: true, force: true }))

    fake.reset()
    await listener.start(['--out', rpk, ...upstreams])
    const live = await agentThrough(kind, listener, home)
    const recorded = await listener.stop()
    expect(live.code, live.stderr).toBe(0)
    expect(live.answer).toBe(AGENT_ANSWER)
    const upstreamCalls = fake.requests.filter((r) => r.method === 'POST').length
    expect(upstreamCalls).toBe(2)
    expect(recorded).toMatchObject({ stopped: true })

    // The artifact: loads with the CLI, holds the model and tool steps, and no key.
    const inspect = await project.run(CLI, ['inspect', rpk, '--json'])
    expect(inspect.code, inspect.output).toBe(0)
    const runs = (JSON.parse(inspect.stdout) as { runs: { timeline: { kind: string; text: string }[] }[] }).runs
    const kinds = runs.flatMap((run) => run.timeline.map((row) => row.kind))
    expect(kinds.filter((k) => k === 'model.request').length).toBe(upstreamCalls)
    expect(kinds.filter((k) => k === 'model.response').length).toBe(upstreamCalls)
    expect(kinds).toContain('tool.request')
    expect(kinds).toContain('tool.response')
    const text = readFileSync(rpk, 'utf8')
    // The tool call the model asked for and the result the agent sent back are tool steps of their own,
    // in the order they happened, tied by the call id (as the test engine records SDK traffic).
    const steps = Object.values((JSON.parse(text) as { runs: Record<string, { steps: Step[] }> }).runs).flatMap(
      (run) => run.steps,
    )
    expect(steps.map((step) => step.kind)).toEqual([
      'model.request',
      'model.response',
      'tool.request',
      'tool.response',
      'model.request',
      'model.response',
    ])
    const call = steps.find((step) => step.kind === 'tool.request') as ToolRequestStep
    const result = steps.find((step) => step.kind === 'tool.response') as ToolResponseStep
    expect(call.name).toBe(tool)
    expect(JSON.stringify(call.arguments)).toContain('echo replaykit-tool-ok')
    expect(call.callId).not.toBe('')
    expect(result.callId).toBe(call.callId)
    expect(JSON.stringify(result.output)).toContain('replaykit-tool-ok')
    // `replaykit inspect` shows them in its timeline: the tool, its call id, its arguments and its output.
    const shown = await project.run(CLI, ['inspect', rpk])
    expect(shown.code, shown.output).toBe(0)
    const rows = shown.stdout.split('\n')
    const callRow = rows.find((row) => /^\s*2\s+tool\.request\s/.test(row))
    const resultRow = rows.find((row) => /^\s*3\s+tool\.response\s/.test(row))
    expect(callRow, shown.stdout).toContain(`${tool} (${call.callId})`)
    expect(callRow).toContain('echo replaykit-tool-ok')
    expect(resultRow, shown.stdout).toContain(call.callId)
    // The output whole in the JSON timeline (the table clips it; Codex puts a header before the output).
    const resultJson = runs.flatMap((run) => run.timeline).find((row) => row.kind === 'tool.response') as {
      text: string
    }
    expect(resultJson?.text).toContain('replaykit-tool-ok')
    expect(text).toContain(tool)
    expect(text).toContain('echo replaykit-tool-ok')
    // The instructions both requests resend are stored once, by content hash.
    expect(text.split(instructions).length - 1).toBe(1)
    expect(text).not.toContain(FAKE_AGENT_KEY)
    expect(text).not.toContain(FAKE_AGENT_KEY.slice(12))

    // Replay: the upstream must not see a single request.
    fake.reset()
    await listener.start(['--replay', rpk, ...upstreams])
    const replayed = await agentThrough(kind, listener, home)
    const summary = await listener.stop()
    expect(replayed.code, replayed.stderr).toBe(0)
    expect(replayed.answer).toBe(live.answer)
    expect(fake.requests).toEqual([])
    expect(summary).toMatchObject({ stopped: true })
  })
})
