import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { readRpkFile } from '../../src/artifact/read.js'
import type { Run } from '../../src/artifact/types.js'
import { writeRpkFile } from '../../src/artifact/write.js'
import type { Mode, ReplayProblem } from '../../src/engine/types.js'
import { isReplayKitError } from '../../src/errors.js'
import { assertReplay } from '../../src/replay-matcher/assert-replay.js'
import { createReplayRun, type ReplayRun } from '../../src/replay-matcher/replay-run.js'
import { checkSlowdown } from '../../src/replay-matcher/slowdown.js'
import type { ReplayAssertionOptions, SlowdownGate } from '../../src/replay-matcher/types.js'
import { planCapture } from '../../src/store/capture-plan.js'
import { ReplayFile } from '../../src/store/replay-file.js'
import { rpkPathFor } from '../../src/store/rpk-path.js'
import type { UpdateState } from '../../src/store/update-state.js'
import { sampleRun } from '../fixtures/sample-runs.js'

let dir: string
let testFile: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-assert-'))
  testFile = join(dir, 'test', 'agent.test.ts')
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const ESC = String.fromCharCode(27)
const context = () => ({ root: dir, runner: 'vitest' as const, color: false })

interface Setup {
  update?: UpdateState
  recorded?: Run
  mode?: Mode
  /** The run the code produced this time (defaults to the sample). */
  actual?: Run
  problems?: ReplayProblem[]
  slowdown?: SlowdownGate
}

/** A captured run as the engine would hand it back, planned against a real ReplayFile. */
function capture(setup: Setup): { run: ReplayRun; file: ReplayFile } {
  if (setup.recorded) writeRpkFile(rpkPathFor(testFile), { runs: { 'agent answers 1': setup.recorded } })
  const file = new ReplayFile(testFile, { update: setup.update ?? 'new' })
  const plan = planCapture(file, { name: 'agent answers', mode: setup.mode ?? 'strict' })
  const actual = setup.actual ?? sampleRun()
  const result = {
    mode: plan.mode,
    run: actual,
    value: actual.outcome.type === 'return' ? actual.outcome.value : undefined,
    error: undefined,
    threw: false as const,
    problems: setup.problems ?? [],
  }
  const record = { file, plan, result, ignorePaths: [] }
  const run = createReplayRun(setup.slowdown ? { ...record, slowdown: setup.slowdown } : record)
  return { run, file }
}

function judge(setup: Setup, options?: ReplayAssertionOptions) {
  const { run, file } = capture(setup)
  return { verdict: assertReplay(run, options, context()), file }
}

function withPrompt(prompt: string): Run {
  const run = sampleRun()
  const step = run.steps[0]
  if (step?.kind !== 'model.request' || !step.request.body || !('json' in step.request.body)) throw new Error('fixture')
  step.request.body = { json: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] } }
  return run
}

function withOwnMs(run: Run, ownMs: number): Run {
  return { ...run, timing: { totalMs: ownMs + 10, networkMs: 10, ownMs } }
}

describe('record', () => {
  test('a first run records and stores the run', () => {
    const { verdict, file } = judge({})
    expect(verdict).toMatchObject({ pass: true, status: 'recorded', entry: { stored: true, key: 'agent answers 1' } })
    file.save()
    expect(Object.keys(readRpkFile(rpkPathFor(testFile))?.runs ?? {})).toEqual(['agent answers 1'])
  })

  test('a re-record of an existing run says updated', () => {
    const { verdict } = judge({ update: 'all', recorded: sampleRun() })
    expect(verdict).toMatchObject({ pass: true, status: 'updated' })
  })

  test('record mode in CI runs but stores nothing', () => {
    const { verdict, file } = judge({ update: 'none', mode: 'record' })
    expect(verdict).toMatchObject({ pass: true, status: 'recorded', entry: { stored: false } })
    expect(file.save().written).toBe(false)
  })
})

describe('missing in CI', () => {
  test('fails with the command that records it', () => {
    const { verdict } = judge({ update: 'none' })
    expect(verdict.pass).toBe(false)
    expect(verdict.status).toBe('missing')
    expect(verdict.message).toContain('No recording for "agent answers 1" in test/__snapshots__/agent.test.ts.rpk')
    expect(verdict.message).toContain('npx vitest run test/agent.test.ts')
    expect(verdict.message).toContain('npx replaykit test --update-replays test/agent.test.ts')
  })
})

describe('strict', () => {
  test('an equal run replays', () => {
    const { verdict } = judge({ recorded: sampleRun() })
    expect(verdict).toMatchObject({ pass: true, status: 'replayed' })
  })

  test('a changed prompt fails with the first-divergence report', () => {
    const { verdict } = judge({ recorded: sampleRun(), actual: withPrompt('weather in Bergen?') })
    expect(verdict.pass).toBe(false)
    expect(verdict.status).toBe('diverged')
    expect(verdict.message).toContain('Replay of "agent answers 1" diverged from test/__snapshots__/agent.test.ts.rpk')
    expect(verdict.message).toContain('First divergence at step 1 of 2')
    expect(verdict.message).toContain('"weather in Oslo?" → "weather in Bergen?"')
    expect(verdict.message).toContain('npx replaykit test --update-replays test/agent.test.ts')
    expect(verdict.entry.divergence).toMatchObject({ step: 1, kind: 'model.request', section: 'prompt' })
    // The entry holds the same facts without colours.
    expect(verdict.entry.message).not.toContain(ESC)
  })

  test('ignore paths from the assertion leave fields out of the comparison', () => {
    const { verdict } = judge(
      { recorded: sampleRun(), actual: withPrompt('weather in Bergen?') },
      { ignorePaths: ['$.messages[0].content'] },
    )
    expect(verdict.pass).toBe(true)
  })

  test('refused requests are listed', () => {
    const problems: ReplayProblem[] = [
      { type: 'unmatched-request', seq: 0, method: 'POST', url: 'http://x/v1/chat/completions', message: 'no match' },
    ]
    const { verdict } = judge({ recorded: sampleRun(), actual: withPrompt('other'), problems })
    expect(verdict.message).toContain('Requests not in the recording (refused; nothing left the process):')
    expect(verdict.message).toContain('POST http://x/v1/chat/completions')
  })

  test('colours only when asked', () => {
    const { run } = capture({ recorded: sampleRun(), actual: withPrompt('x') })
    const coloured = assertReplay(run, undefined, { ...context(), color: true })
    expect(coloured.message).toContain(ESC)
  })
})

describe('slowdown gate', () => {
  test('fails a run that got slower, with both times and the ratio', () => {
    const { verdict } = judge(
      { recorded: withOwnMs(sampleRun(), 10), actual: withOwnMs(sampleRun(), 45) },
      { slowdown: { maxRatio: 2, minMs: 5 } },
    )
    expect(verdict.status).toBe('slow')
    expect(verdict.message).toContain('45.0 ms')
    expect(verdict.message).toContain('10.0 ms')
    expect(verdict.message).toContain('4.50× the recorded time; the gate allows 2.00×')
    expect(verdict.entry).toMatchObject({ ownMs: 45, recordedOwnMs: 10, ratio: 4.5 })
  })

  test('is off unless configured, and false in the assertion turns a configured one off', () => {
    const slow = { recorded: withOwnMs(sampleRun(), 10), actual: withOwnMs(sampleRun(), 45) }
    expect(judge(slow).verdict.pass).toBe(true)
    expect(judge({ ...slow, slowdown: { maxRatio: 2 } }).verdict.status).toBe('slow')
    expect(judge({ ...slow, slowdown: { maxRatio: 2 } }, { slowdown: false }).verdict.pass).toBe(true)
  })

  test('a bad gate is a config error', () => {
    expect(() => judge({ recorded: sampleRun() }, { slowdown: { maxRatio: 0.5 } })).toThrow(/maxRatio is 0.5/)
  })

  test('never fails within the ratio or under the floor (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.double({ min: 1, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (recorded, actual, maxRatio, minMs) => {
          const check = checkSlowdown(
            { totalMs: recorded, networkMs: 0, ownMs: recorded },
            { totalMs: actual, networkMs: 0, ownMs: actual },
            { maxRatio, minMs },
          )
          const allowed = actual <= recorded * maxRatio || actual - recorded < minMs
          expect(check.slow).toBe(!allowed)
        },
      ),
    )
  })
})

describe('hybrid', () => {
  test('passes a changed request with the same outcome and lists what went live', () => {
    const problems: ReplayProblem[] = [
      { type: 'live-request', seq: 0, method: 'POST', url: 'http://x/v1/chat/completions', message: 'live' },
    ]
    const { verdict } = judge({ mode: 'hybrid', recorded: sampleRun(), actual: withPrompt('other'), problems })
    expect(verdict.pass).toBe(true)
    expect(verdict.entry.liveRequests).toEqual([{ method: 'POST', url: 'http://x/v1/chat/completions' }])
    expect(verdict.message).toContain('1 request not in the recording went live (hybrid mode)')
  })

  test('fails when the outcome differs', () => {
    const actual = { ...sampleRun(), outcome: { type: 'return' as const, value: 'It is 30°C in Oslo.' } }
    const { verdict } = judge({ mode: 'hybrid', recorded: sampleRun(), actual })
    expect(verdict).toMatchObject({ pass: false, status: 'diverged', entry: { divergence: { kind: 'outcome' } } })
    expect(verdict.message).toContain('First divergence in the outcome')
  })
})

describe('live-compare', () => {
  test('reports drift step by step', () => {
    const { verdict } = judge({ mode: 'live-compare', recorded: sampleRun(), actual: withPrompt('x') })
    expect(verdict.pass).toBe(false)
    expect(verdict.message).toContain('drifted from the recording')
    expect(verdict.message).toContain('Differences between the live exchange and the recording, step by step:')
    expect(verdict.message).toContain('step 1 model.request (prompt)')
  })

  /** The sample run as the provider answers it live: a new response id, and other usage counts. */
  function liveAnswer(id: string, outputTokens: number): Run {
    const run = sampleRun()
    const step = run.steps[1]
    if (step?.kind !== 'model.response' || !step.response.body || !('json' in step.response.body)) {
      throw new Error('fixture')
    }
    step.response.body = {
      json: { ...(step.response.body.json as object), id, usage: { completion_tokens: outputTokens } },
    }
    step.usage = { ...step.usage, outputTokens }
    return run
  }

  test("passes when only the provider's volatile fields changed; ignoreResponsePaths reaches the comparison", () => {
    const recorded = liveAnswer('chatcmpl-1', 7)
    const fresh = judge({ mode: 'live-compare', recorded, actual: liveAnswer('chatcmpl-live', 7) })
    expect(fresh.verdict.message).toContain('matches the recording')
    expect(fresh.verdict.pass).toBe(true)
    const usage = judge({ mode: 'live-compare', recorded, actual: liveAnswer('chatcmpl-live', 9) })
    expect(usage.verdict.entry.divergence).toMatchObject({ kind: 'model.response' })
    expect(
      judge(
        { mode: 'live-compare', recorded, actual: liveAnswer('chatcmpl-live', 9) },
        { ignoreResponsePaths: ['$.usage'] },
      ).verdict.pass,
    ).toBe(true)
  })
})

describe('usage errors', () => {
  test('something that did not come from capture', () => {
    const error = (() => {
      try {
        assertReplay(Promise.resolve(), undefined, context())
      } catch (e) {
        return e
      }
    })()
    expect(isReplayKitError(error) && error.code).toBe('RPK_USAGE')
    expect(String(error)).toContain('await the capture')
  })

  test('a name different from the capture', () => {
    expect(() => judge({ recorded: sampleRun() }, { name: 'other' })).toThrow(/capture\(fn, \{ name: "other" \}\)/)
  })

  test('a mode the capture could not honour, and one it could', () => {
    expect(() => judge({ recorded: sampleRun() }, { mode: 'live-compare' })).toThrow(
      /capture\(fn, \{ mode: 'live-compare' \}\)/,
    )
    expect(judge({ recorded: sampleRun() }, { mode: 'hybrid' }).verdict.pass).toBe(true)
  })

  test('the key is checked off even when the assertion throws', () => {
    const { run, file } = capture({ recorded: sampleRun() })
    expect(() => assertReplay(run, { name: 'x' }, context())).toThrow()
    expect(file.obsolete()).toEqual([])
  })
})

describe('an update run (`changed`)', () => {
  test('a run equal to its recording is judged as usual and not stored', () => {
    const { run, file } = capture({ update: 'changed', recorded: sampleRun() })
    expect(run.mode).toBe('hybrid')
    const verdict = assertReplay(run, undefined, context())
    expect(verdict).toMatchObject({ pass: true, status: 'replayed', entry: { stored: false } })
    expect(file.save()).toMatchObject({ written: false, added: [], updated: [] })
  })

  test('a run that diverges is stored, with its first divergence, and passes', () => {
    const changed = sampleRun()
    changed.outcome = { type: 'return', value: 'It is 14°C in Oslo.' }
    const { run, file } = capture({ update: 'changed', recorded: sampleRun(), actual: changed })
    const verdict = assertReplay(run, undefined, context())
    expect(verdict).toMatchObject({
      pass: true,
      status: 'updated',
      entry: { stored: true, divergence: { kind: 'outcome' } },
    })
    expect(file.save()).toMatchObject({ written: true, updated: ['agent answers 1'] })
    expect(readRpkFile(rpkPathFor(testFile))?.runs['agent answers 1']?.outcome).toEqual(changed.outcome)
  })
})
