/**
 * The whole bad-file corpus (test/utils/bad-rpk-corpus.ts) under the store as
 * the runners drive it: a strict CI run, a local run and an update run (full
 * and `-t` partial) over each broken file. Every refusal is a typed
 * ReplayKitError naming the file, and nothing in the folder changes: not the
 * bytes, the mtime, a link or the folder itself.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { badRpkCorpus } from '../../../../test/utils/bad-rpk-corpus.js'
import { isReplayKitError } from '../../src/errors.js'
import { planCapture } from '../../src/store/capture-plan.js'
import { ReplayFile } from '../../src/store/replay-file.js'
import { rpkPathFor } from '../../src/store/rpk-path.js'
import type { UpdateState } from '../../src/store/update-state.js'
import { snapshotTree } from '../fixtures/bad-rpk-files.js'
import { sampleRun } from '../fixtures/sample-runs.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-corpus-runs-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** One test file's run over the broken recording: plan a capture, store what it made, save. */
function runOver(testFile: string, update: UpdateState, partial: boolean): { errors: unknown[]; missing: boolean } {
  const errors: unknown[] = []
  let missing = false
  const file = new ReplayFile(testFile, { update, replaceInvalid: false })
  try {
    file.recorded('old 1')
  } catch (error) {
    errors.push(error)
  }
  try {
    const plan = planCapture(file, { name: 'old', mode: 'strict' })
    // @note A dangling symlink reads as "not recorded yet": a CI run then fails the test as a missing recording.
    missing = plan.missing
    if (plan.mode === 'record') file.store(plan.key, sampleRun('old', 1))
  } catch (error) {
    errors.push(error)
  }
  if (partial) file.checkTest('kept')
  const saved = file.save()
  if (saved.error !== undefined) errors.push(saved.error)
  return { errors, missing }
}

const RUNS: Array<{ label: string; update: UpdateState; partial: boolean }> = [
  { label: 'a strict CI run', update: 'none', partial: false },
  { label: 'a local run', update: 'new', partial: false },
  { label: 'a full update run', update: 'all', partial: false },
  { label: 'a -t partial update run', update: 'all', partial: true },
]

describe.each(badRpkCorpus({ large: false }))('$name', (entry) => {
  test.each(RUNS)('$label: typed errors naming the file, nothing modified', ({ update, partial }) => {
    const testFile = join(dir, 'agent.test.ts')
    const rpk = rpkPathFor(testFile)
    entry.make(rpk)
    const before = snapshotTree(dir)
    const { errors, missing } = runOver(testFile, update, partial)
    expect(errors.length > 0 || (missing && update === 'none')).toBe(true)
    for (const error of errors) {
      expect(isReplayKitError(error), String(error)).toBe(true)
      expect(String(error)).toContain(rpk)
    }
    expect(snapshotTree(dir)).toEqual(before)
  })
})
