/**
 * Loading a `.rpk`: parse, check the version, validate against the schema,
 * verify the content hash. Each failure is a typed error naming the file, what
 * is wrong (with line/column or JSON path) and how to fix it.
 */
import { readFileSync } from 'node:fs'
// The three functions, not the package index: the index loads all of semver (ranges, sorting, …),
// about 10 ms more in every test worker that opens a recording.
import semverGt from 'semver/functions/gt.js'
import semverMajor from 'semver/functions/major.js'
import semverValid from 'semver/functions/valid.js'
import { ReplayKitError } from '../errors.js'
import { computeContentHash, contentHashAsRead } from './hash.js'
import { SCHEMA_VERSION } from './schema/v1.js'
import type { RpkFile } from './types.js'
import { validateRpk } from './validate.js'

const READER_MAJOR = semverMajor(SCHEMA_VERSION)

/** Read and load a `.rpk` file. Returns undefined when the file does not exist. */
export function readRpkFile(file: string): RpkFile | undefined {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new ReplayKitError('RPK_UNREADABLE', `Failed to read the recording: ${(error as Error).message}`, {
      file,
      hint: 'check that the path is a readable file.',
      cause: error,
    })
  }
  return parseRpk(text, file)
}

/** Load a `.rpk` from its text. `file` names it in errors. */
export function parseRpk(text: string, file = '<input>'): RpkFile {
  const value = parseJson(text, file)
  checkVersion(value, file)
  const violation = validateRpk(value)
  if (violation) {
    throw new ReplayKitError(
      'RPK_SCHEMA',
      `Failed to load the recording: ${violation.path} ${violation.message} (schema ${SCHEMA_VERSION}).`,
      { file, hint: 'restore the file from version control, or re-record it with `replaykit test --update-replays`.' },
    )
  }
  const rpk = value as RpkFile
  // The text as read hashes to the stored hash for any file written by ReplayKit: no canonical pass needed.
  if (contentHashAsRead(rpk) === rpk.contentHash) return rpk
  const actual = computeContentHash(rpk)
  if (actual !== rpk.contentHash) {
    throw new ReplayKitError(
      'RPK_HASH_MISMATCH',
      `Failed to load the recording: its content hash does not match (stored ${short(rpk.contentHash)}, computed ${short(actual)}): the file was edited or tampered with after it was written.`,
      {
        file,
        hint: 'restore it from version control or re-record it with `replaykit test --update-replays`; if the edit was deliberate, run `replaykit rehash <file>`.',
      },
    )
  }
  return rpk
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    const message = (error as Error).message
    const at = errorOffset(message, text)
    const { line, column } = lineColumn(text, at)
    const truncated = at >= text.trimEnd().length || /end of (JSON|data) input/i.test(message)
    if (truncated) {
      throw new ReplayKitError(
        'RPK_TRUNCATED',
        `Failed to load the recording: the JSON ends early at line ${line}, column ${column}; the file is truncated (an interrupted write or copy).`,
        { file, hint: 'restore it from version control, or re-record it with `replaykit test --update-replays`.' },
      )
    }
    throw new ReplayKitError(
      'RPK_INVALID_JSON',
      `Failed to load the recording: invalid JSON at line ${line}, column ${column}: ${message.replace(/\s*\(line \d+ column \d+\)$/, '')}.`,
      {
        file,
        hint: 'fix the JSON by hand (often a merge conflict), restore it from version control, or re-record it.',
      },
    )
  }
}

function errorOffset(message: string, text: string): number {
  const position = /at position (\d+)/.exec(message)
  if (position) return Number(position[1])
  const lineCol = /line (\d+) column (\d+)/.exec(message)
  if (lineCol) {
    const lines = text.split('\n')
    let offset = 0
    for (let i = 0; i < Number(lineCol[1]) - 1; i++) offset += (lines[i]?.length ?? 0) + 1
    return offset + Number(lineCol[2]) - 1
  }
  return text.length
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  const end = Math.min(offset, text.length)
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++
      lineStart = i + 1
    }
  }
  return { line, column: end - lineStart + 1 }
}

function checkVersion(value: unknown, file: string): void {
  const version =
    typeof value === 'object' && value !== null ? (value as { schemaVersion?: unknown }).schemaVersion : undefined
  if (typeof version !== 'string' || !semverValid(version)) {
    throw new ReplayKitError(
      'RPK_SCHEMA',
      `Failed to load the recording: $.schemaVersion is ${version === undefined ? 'missing' : `not a semver version (${JSON.stringify(version)})`}; this is not a ReplayKit recording or it was damaged.`,
      { file, hint: 'restore it from version control, or re-record it with `replaykit test --update-replays`.' },
    )
  }
  const major = semverMajor(version)
  if (major > READER_MAJOR || (major === READER_MAJOR && semverGt(version, SCHEMA_VERSION))) {
    throw new ReplayKitError(
      'RPK_FUTURE_VERSION',
      `Failed to load the recording: it has schema version ${version}, newer than ${SCHEMA_VERSION}, the newest this ReplayKit reads.`,
      { file, hint: `upgrade the @replaykit packages to a release that reads schema ${version}.` },
    )
  }
  if (major < READER_MAJOR) {
    throw new ReplayKitError(
      'RPK_OLD_VERSION',
      `Failed to load the recording: it has schema version ${version}; this ReplayKit reads ${READER_MAJOR}.x.`,
      { file, hint: 'run `replaykit migrate <file>` to upgrade it.' },
    )
  }
}

function short(hash: string): string {
  return `${hash.slice(0, 'sha256:'.length + 12)}…`
}
