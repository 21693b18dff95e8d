/**
 * The example projects replay offline from their committed recordings, as
 * `npm test` runs them in CI, and leave those recordings untouched.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { REPO_ROOT } from './helpers/packages.js'
import { runNode } from './helpers/project.js'

/** As CI runs it: CI set, no colours. */
const runExample = (dir: string, script: string, args: string[]) =>
  runNode(join(REPO_ROOT, dir), join(REPO_ROOT, script), args, { CI: 'true' })

test.each([
  ['examples/vitest-agent', 'node_modules/vitest/vitest.mjs', ['run'], 'test/__snapshots__/agent.test.ts.rpk'],
  ['examples/jest-agent', 'node_modules/jest/bin/jest.js', [], 'test/__snapshots__/agent.test.js.rpk'],
])('%s replays offline from its committed recording', async (dir, script, args, rpk) => {
  const before = readFileSync(join(REPO_ROOT, dir, rpk), 'utf8')
  const result = await runExample(dir, script, args)
  expect(result.code, result.output).toBe(0)
  expect(result.output).toMatch(/4 runs · 0 recorded · 0 re-recorded · 4 replayed · 0 diverged · 0 missing/)
  expect(readFileSync(join(REPO_ROOT, dir, rpk), 'utf8')).toBe(before)
})

test('npm run demo replays, shows a first divergence, explains it, restores the prompt and exits 0', async () => {
  const prompt = join(REPO_ROOT, 'examples/vitest-agent/src/prompt.ts')
  const before = readFileSync(prompt, 'utf8')
  const result = await runExample('.', 'scripts/demo.mjs', [])
  expect(result.code, result.output).toBe(0)
  expect(result.output).toContain(
    'First divergence at step 1 of 6 (model.request, openai chat.completions, gpt-4o-mini)',
  )
  expect(result.output).toContain('"You are a concise weather assistant.')
  expect(result.output).toContain('↑ Expected failure: the prompt sent to the model')
  expect(result.output).toContain('✔ Prompt restored; the working tree is as it was.')
  expect(readFileSync(prompt, 'utf8')).toBe(before)
})
