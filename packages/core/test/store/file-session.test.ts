/**
 * The end of a test file's session: a save the file system refuses fails the
 * file with RPK_WRITE_FAILED naming the recording (it was reported as
 * RPK_UNREADABLE, a read error, before the store port).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { WriteFailedError } from '../../src/errors/classes.js'
import { lockPathFor } from '../../src/store/file-lock.js'
import { finishReplayFile, replayFileFor } from '../../src/store/file-session.js'
import { rpkPathFor } from '../../src/store/rpk-path.js'
import { sampleRun } from '../fixtures/sample-runs.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-session-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

test('a save the file system refuses fails the file with RPK_WRITE_FAILED naming the recording', () => {
  const testFile = join(dir, 'agent.test.ts')
  const rpk = rpkPathFor(testFile)
  // A folder where the lock file goes: the save cannot lock, whoever runs the test (root included).
  mkdirSync(lockPathFor(rpk), { recursive: true })
  replayFileFor(testFile, 'new').store('agent answers 1', sampleRun())
  const { error, entry } = finishReplayFile(testFile, { root: dir, update: 'new', notPassed: [] })
  expect(error).toBeInstanceOf(WriteFailedError)
  expect(error).toMatchObject({ code: 'RPK_WRITE_FAILED', file: rpk })
  expect(error?.message).toMatch(/Failed to write the recording: EISDIR/)
  expect(entry).toBeDefined()
})
