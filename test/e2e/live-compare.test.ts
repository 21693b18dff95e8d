/**
 * live-compare through the real `vitest` binary and the packed `@replaykit/vitest` (issue 10,
 * item 2): a test records an OpenAI tool loop whose prompt holds a uuid and the date, then runs
 * again in live-compare (`REPLAYKIT_MODE`, as `replaykit test --mode live-compare` sets it) against
 * a provider that hands out fresh ids and times on every call. Unchanged, it passes and leaves the
 * recording as it is; when the provider's answer changes, it fails with the answer text first.
 * A capture that names its own mode keeps it: `--mode` sets the default of the run.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { useVitestProject } from './helpers/vitest-project.js'

const e2e = useVitestProject('live-compare', { fake: { freshIds: true } })

const TEST = `import { capture } from '@replaykit/vitest'
import { expect, test } from 'vitest'
import { askAgent } from '../src/agent.js'

test('agent answers', async () => {
  const run = await capture(() =>
    askAgent(\`What is the weather in Oslo? (request \${crypto.randomUUID()} on \${new Date().toISOString()})\`),
  )
  expect(run).toMatchReplay()
})

// A capture's own mode wins over \`replaykit test --mode\` (REPLAYKIT_MODE), as its help says: replayed, no live call.
test('pinned strict', async () => {
  const run = await capture(() => askAgent('What is the weather in Lima?'), { mode: 'strict' })
  expect(run).toMatchReplay()
})
`

test('records, passes live-compare against the unchanged provider, and reports a drifted answer by its text', async () => {
  const { project, fake } = e2e
  // The option is accepted (and checked) in the plugin options.
  project.write(
    'vitest.config.ts',
    `import replaykit from '@replaykit/vitest'
import { defineConfig } from 'vitest/config'
export default defineConfig({ plugins: [replaykit({ ignoreResponsePaths: ['$.service_tier'] })] })
`,
  )
  project.write('test/agent.test.ts', TEST)
  const rpk = join(project.dir, 'test/__snapshots__/agent.test.ts.rpk')

  const recorded = await e2e.vitest([])
  expect(recorded.code, recorded.output).toBe(0)
  const calls = fake.requests.length
  expect(calls).toBe(4)
  const stored = readFileSync(rpk, 'utf8')

  fake.reset()
  const live = await e2e.vitest([], { CI: '1', REPLAYKIT_MODE: 'live-compare' })
  expect(live.code, live.output).toBe(0)
  // The live-compare test ran live; the one that pinned its mode to strict was replayed.
  expect(fake.requests.map((request) => JSON.stringify(request.body))).toEqual([
    expect.stringContaining('Oslo'),
    expect.stringContaining('Oslo'),
  ])
  expect(readFileSync(rpk, 'utf8')).toBe(stored)

  fake.setReply((turn) => (turn.hasToolResult ? { type: 'text', text: 'It is sunny in Oslo.' } : undefined))
  const drifted = await e2e.vitest(['--no-color'], { CI: '1', REPLAYKIT_MODE: 'live-compare' })
  expect(drifted.code).toBe(1)
  expect(drifted.output).toMatch(/1 replayed · 1 diverged/)
  expect(drifted.output).toContain('Live run of "agent answers 1" drifted from the recording')
  expect(drifted.output).toMatch(/\$\.text/)
  expect(drifted.output).toContain('It is sunny in Oslo.')
  expect(drifted.output).not.toMatch(/correlationId|"x\d+" → "x\d+"/)
  expect(readFileSync(rpk, 'utf8')).toBe(stored)
})
