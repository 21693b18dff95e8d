/**
 * When a test run may not write a `.rpk`, and the error that says so.
 *
 * A recording that cannot be loaded (hand-edited, merge-conflicted, truncated,
 * schema errors, duplicate members, from a newer release) is the user's data:
 * neither a local run nor an update run replaces it. Only an update run with
 * the explicit `--replace-invalid` does, and never for a file from another
 * schema version (upgrade or `replaykit migrate`) or one that could not be read
 * at all (permissions).
 */
import { relative } from 'node:path'
import { isReplaceable } from '../artifact/write.js'
import { WriteRefusedError } from '../errors/classes.js'
import { isReplayKitError, type ReplayKitError } from '../errors.js'
import { REPLACE_INVALID_ENV, type UpdateState } from './update-state.js'

interface FileState {
  update: UpdateState
  replaceInvalid: boolean
  rpkPath: string
  testFile: string
}

/** True when the load error allows this run to replace the file (`--update-replays --replace-invalid`). */
export function replaceAllowed(error: unknown, file: Pick<FileState, 'update' | 'replaceInvalid'>): boolean {
  return isUpdateRun(file.update) && file.replaceInvalid && isReplayKitError(error) && isReplaceable(error.code)
}

/** An update run asked for with `--update-replays[=all]` or `REPLAYKIT_UPDATE`. */
function isUpdateRun(update: UpdateState): boolean {
  return update === 'all' || update === 'changed'
}

/** The RPK_WRITE_REFUSED error for a file that failed to load with `error`; the load error is its cause. */
export function refusalToWrite(error: unknown, file: FileState, runs?: number): ReplayKitError {
  if (isReplayKitError(error) && error.code === 'RPK_WRITE_REFUSED') return error
  const code = isReplayKitError(error) ? error.code : undefined
  const what = runs === undefined ? 'record' : `save ${runs} recorded run(s)`
  const run = isUpdateRun(file.update) ? 'an update run' : 'a test run'
  return new WriteRefusedError(
    `Failed to ${what}: the recording on disk cannot be loaded (${reasonOf(error)}), and ${run} never replaces it. Nothing was written.`,
    { file: file.rpkPath, hint: fixFor(code, file), cause: error },
  )
}

function fixFor(code: string | undefined, file: FileState): string {
  const first =
    code === 'RPK_HASH_MISMATCH'
      ? `if the edit was deliberate, run \`replaykit rehash ${file.rpkPath}\`; otherwise restore it from version control`
      : code === 'RPK_FUTURE_VERSION'
        ? 'upgrade the @replaykit packages to the release that wrote it'
        : code === 'RPK_OLD_VERSION'
          ? `run \`replaykit migrate ${file.rpkPath}\``
          : code === 'RPK_UNREADABLE' || code === undefined
            ? 'make it a readable file'
            : 'fix the file or restore it from version control (or delete it)'
  if (code === undefined || !isReplaceable(code)) return `${first}, then run again.`
  const near = relative(process.cwd(), file.testFile)
  const test = quote((near && !near.startsWith('..') ? near : file.testFile).split('\\').join('/'))
  return `${first}, then run again; or discard it and record anew with \`npx replaykit test --update-replays --replace-invalid ${test}\` (${REPLACE_INVALID_ENV}=1 with REPLAYKIT_UPDATE=1).`
}

/** The load error's own reason, without the prefix, file name and fix it carries as a ReplayKitError. */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  let text = error.message.replace(/^\[ReplayKit\] /, '')
  const file = isReplayKitError(error) ? error.file : undefined
  if (file && text.startsWith(`${file}: `)) text = text.slice(file.length + 2)
  const fix = text.indexOf('\n  Fix: ')
  if (fix >= 0) text = text.slice(0, fix)
  return text.replace(/^Failed to load the recording: /, '').replace(/\.$/, '')
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`
}
