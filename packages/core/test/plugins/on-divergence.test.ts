/** The onDivergence hook (issue 11): told the divergence of a failed replay; a hook that throws fails the assertion. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import type { Run } from '../../src/artifact/types.js'
import { writeRpkFile } from '../../src/artifact/write.js'
import { activatePlugins, unloadPlugins } from '../../src/plugins/index.js'
import type { DivergenceEvent } from '../../src/plugins/types.js'
import { assertReplay } from '../../src/replay-matcher/assert-replay.js'
import { createReplayRun } from '../../src/replay-matcher/replay-run.js'
import { planCapture } from '../../src/store/capture-plan.js'
import { ReplayFile } from '../../src/store/replay-file.js'
import { rpkPathFor } from '../../src/store/rpk-path.js'
import { sampleRun } from '../fixtures/sample-runs.js'

let dir: string
let testFile: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-plugin-divergence-'))
  testFile = join(dir, 'test', 'agent.test.ts')
})
afterEach(async () => {
  await unloadPlugins()
  rmSync(dir, { recursive: true, force: true })
})

/** A strict replay of `actual` against the sample recording, as the matcher judges it. */
function judge(actual: Run) {
  writeRpkFile(rpkPathFor(testFile), { runs: { 'agent answers 1': sampleRun() } })
  const file = new ReplayFile(testFile, { update: 'none' })
  const plan = planCapture(file, { name: 'agent answers', mode: 'strict' })
  const result = {
    mode: plan.mode,
    run: actual,
    value: undefined,
    error: undefined,
    threw: false as const,
    problems: [],
  }
  const run = createReplayRun({ file, plan, result, ignorePaths: [] })
  return assertReplay(run, undefined, { root: dir, runner: 'vitest', color: false })
}

const changedOutcome = (): Run => ({ ...sampleRun(), outcome: { type: 'return', value: 'It is 30°C in Oslo.' } })

test('told the divergence of a failed replay, with the test key; not called when it replays', () => {
  const seen: DivergenceEvent[] = []
  activatePlugins([{ name: 'watch', hooks: { onDivergence: (event) => void seen.push(event) } }])
  expect(judge(sampleRun()).pass).toBe(true)
  expect(seen).toEqual([])
  const verdict = judge(changedOutcome())
  expect(verdict).toMatchObject({ pass: false, status: 'diverged' })
  expect(seen).toEqual([{ key: 'agent answers 1', divergence: verdict.entry.divergence }])
  expect(seen[0]?.divergence.kind).toBe('outcome')
})

test('a hook that throws fails the assertion with the plugin name', () => {
  activatePlugins([
    {
      name: 'pager',
      hooks: {
        onDivergence: () => {
          throw new Error('pager is down')
        },
      },
    },
  ])
  expect(() => judge(changedOutcome())).toThrow(/Plugin "pager" failed in onDivergence: pager is down/)
})

test('a field a beforeMatch hook normalises (it let the request match) is no divergence of the replay', () => {
  const withNonce = (run: Run, nonce: string): Run => ({
    ...run,
    steps: run.steps.map((step) =>
      step.kind === 'model.request' || step.kind === 'http.request'
        ? { ...step, request: { ...step.request, url: `${step.request.url}?nonce=${nonce}` } }
        : step,
    ),
  })
  writeRpkFile(rpkPathFor(testFile), { runs: { 'agent answers 1': withNonce(sampleRun(), '1') } })
  const dropNonce = (url: string): string => url.replace(/\?nonce=\d+$/, '')
  const actual = withNonce(sampleRun(), '2')
  const file = new ReplayFile(testFile, { update: 'none' })
  const plan = planCapture(file, { name: 'agent answers', mode: 'strict' })
  const result = {
    mode: plan.mode,
    run: actual,
    value: undefined,
    error: undefined,
    threw: false as const,
    problems: [],
  }
  const judged = () =>
    assertReplay(createReplayRun({ file, plan, result, ignorePaths: [] }), undefined, {
      root: dir,
      runner: 'vitest',
      color: false,
    })
  expect(judged().pass).toBe(false)
  activatePlugins([
    { name: 'ignore-nonce', hooks: { beforeMatch: ({ request }) => ({ ...request, url: dropNonce(request.url) }) } },
  ])
  expect(judged().pass).toBe(true)
})
