/**
 * A save that fails for a reason of the file system (not a refusal ReplayKit
 * made itself) is a write failure, RPK_WRITE_FAILED: RPK_UNREADABLE is about
 * reading a recording, and `--replace-invalid` treats the two differently.
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { finishReplayFile, replayFileFor } from '../../src/store/file-session.js'
import { sampleRun } from '../fixtures/sample-runs.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-write-failed-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

test('a recording that cannot be written fails with RPK_WRITE_FAILED naming the .rpk', () => {
  const testFile = join(dir, 'agent.test.ts')
  // A dangling link where the __snapshots__ folder should be: there is no recording to read, and
  // creating the folder fails (EEXIST), also for root, whom file permissions would not stop.
  symlinkSync(join(dir, 'gone'), join(dir, '__snapshots__'))
  replayFileFor(testFile, 'new').store('a 1', sampleRun('a', 1))
  const result = finishReplayFile(testFile, { root: dir, update: 'new', notPassed: [] })
  expect(result.error).toMatchObject({
    code: 'RPK_WRITE_FAILED',
    file: join(dir, '__snapshots__', 'agent.test.ts.rpk'),
  })
  expect(result.error?.message).toMatch(/Failed to write the recording: /)
})
