/**
 * The open `.rpk` of each test file in a worker, and the end-of-file step both
 * runners share: check off the tests that did not pass, save, and describe the
 * file for the report.
 */
import { existsSync } from 'node:fs'
import { shared } from '../engine/runtime/runtime.js'
import { WriteFailedError } from '../errors/classes.js'
import { isReplayKitError, type ReplayKitError } from '../errors.js'
import { pluginStore } from '../plugins/store.js'
import { fileEntryOf } from '../replay-report/build.js'
import type { ReplayFileEntry } from '../replay-report/types.js'
import { ReplayFile } from './replay-file.js'
import { rpkPathFor } from './rpk-path.js'
import { RpkStore } from './rpk-store.js'
import type { UpdateState } from './update-state.js'

function openFiles(): Map<string, ReplayFile> {
  // @note In the engine's runtime: the runner may load this module twice (ESM and CJS, or a setup file and
  // a test file resolved differently), and both copies must share one ReplayFile per test file.
  return shared('open-files', () => new Map<string, ReplayFile>())
}

/** The ReplayFile of a test file, opened on first use in this worker. */
export function replayFileFor(testFile: string, update: UpdateState): ReplayFile {
  const files = openFiles()
  let file = files.get(testFile)
  if (!file) {
    file = openReplayFile(testFile, update)
    files.set(testFile, file)
  }
  return file
}

/**
 * A test file's recordings, through the store a plugin provides (its path is the file's
 * `rpkPath` in reports and messages) or the `.rpk` beside the test.
 */
function openReplayFile(testFile: string, update: UpdateState): ReplayFile {
  const rpkPath = rpkPathFor(testFile)
  // The store port: a plugin's store, or the `.rpk` store (which folds in a journal left beside the file).
  const store = pluginStore({ testFile, rpkPath }) ?? new RpkStore(rpkPath)
  return new ReplayFile(testFile, { update, store, rpkPath: store.path })
}

export interface FinishInput {
  /** Project root: the report's paths are relative to it. */
  root: string
  update: UpdateState
  /** Full names of the file's tests that were skipped, failed or did not run: their entries are kept. */
  notPassed: Iterable<string>
}

export interface FinishResult {
  /** The file's line in the report; undefined when the test file has no recordings and made none. */
  entry?: ReplayFileEntry
  /** Recorded runs could not be written: the integration fails the file with this error. */
  error?: ReplayKitError
}

/** Close a test file's recordings when its tests are done: save once, report obsolete entries. */
export function finishReplayFile(testFile: string, input: FinishInput): FinishResult {
  const files = openFiles()
  let file = files.get(testFile)
  files.delete(testFile)
  // A test file that captured nothing may still have a .rpk whose entries are now all obsolete.
  if (!file) {
    const opened = openReplayFile(testFile, input.update)
    // @note A custom store may keep no file at its path: its stored keys say it.
    if (existsSync(opened.rpkPath) || opened.obsolete().length > 0) file = opened
  }
  if (!file) return {}
  for (const name of input.notPassed) file.checkTest(name)
  const saved = file.save()
  const result: FinishResult = { entry: fileEntryOf(input.root, testFile, saved) }
  if (saved.unsaved.length > 0) {
    const cause = saved.error
    // @note The stores type their own failures (RPK_WRITE_FAILED for the file system); this is for a custom store.
    result.error = isReplayKitError(cause)
      ? cause
      : new WriteFailedError(
          `Failed to save the recordings of ${saved.unsaved.length} run(s): ${cause instanceof Error ? cause.message : String(cause)}`,
          { file: saved.rpkPath, hint: 'check that the folder is writable, then run the tests again.', cause },
        )
  }
  return result
}
