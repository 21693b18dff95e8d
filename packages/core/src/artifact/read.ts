/**
 * Loading a `.rpk`: check the bytes (UTF-8, no BOM, no NUL), parse, check the
 * structure (no duplicate members, nesting within MAX_JSON_DEPTH, numbers that
 * read back exactly), the version, the schema and what replay relies on, then
 * verify the content hash. Each failure is a typed error naming the file, what
 * is wrong (with line/column or JSON path) and how to fix it.
 *
 * A sealed file (text-hash.ts: its bytes are exactly what the writer wrote) is
 * parsed run by run and skips the checks the writer made: structure, schema,
 * replay rules, content hash. Any other file, a sealed one edited since
 * included, gets every check, unless the same bytes passed them before in this
 * build (checked-cache.ts).
 */
import { closeSync, openSync, readFileSync } from 'node:fs'
import {
  DuplicateKeyError,
  ERROR_CLASSES,
  FutureVersionError,
  HashMismatchError,
  InvalidJsonError,
  OldVersionError,
  SchemaError,
  TooDeepError,
  TruncatedError,
  UnreadableError,
} from '../errors/classes.js'
import { isReplayKitError, type ReplayKitError } from '../errors.js'
import { semver } from '../lazy-deps.js'
import { checkedCache } from './checked-cache.js'
import { checkRpkBytes, checkRpkText, decodeCheckedBytes, where } from './encoding.js'
import { computeContentHash, contentHashAsRead } from './hash.js'
import { formatJsonPath } from './json-path.js'
import { findStructureProblem, MAX_JSON_DEPTH } from './json-structure.js'
import { findUnreplayable } from './replayable.js'
import { SCHEMA_VERSION } from './schema/v1.js'
import { parseSealed } from './sealed-parse.js'
import { readSealedFile } from './sealed-read.js'
import { isSealed } from './text-hash.js'
import type { RpkFile } from './types.js'
import { validateRpk } from './validate.js'

// This reader's major and minor (SCHEMA_VERSION is a plain `major.minor.patch`): read without
// semver, which loads only when a file's own version is checked (lazy-deps.ts).
const [READER_MAJOR, READER_MINOR] = SCHEMA_VERSION.split('.').map(Number) as [number, number]

/**
 * The fix for a file whose content cannot be used. @note A plain `replaykit test --update-replays`
 * refuses to replace a file it cannot load (store/refusal.ts): the hint names the flag that does.
 */
export const RESTORE =
  'restore it from version control, or discard it and record anew: `replaykit test --update-replays --replace-invalid <test file>` for a test recording, or delete it and run `replaykit record` again for a CLI recording.'

/** Read and load a `.rpk` file. Returns undefined when the file does not exist. */
export function readRpkFile(file: string): RpkFile | undefined {
  // The writer's own bytes are read through one small block (sealed-read.ts); any other file whole.
  const sealed = readSealed(file)
  if (sealed !== undefined) return sealed
  let bytes: Uint8Array
  try {
    bytes = readFileSync(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw unreadable(file, error)
  }
  return parseRpk(bytes, file)
}

/**
 * The file when it is sealed by a writer of this reader's minor and its seal matches; undefined
 * for anything else, which is then read whole and given every check (an error reading it
 * included: the whole read reports it).
 */
function readSealed(file: string): RpkFile | undefined {
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch {
    return undefined
  }
  let value: unknown
  try {
    value = readSealedFile(fd)
  } catch {
    value = undefined
  } finally {
    closeSync(fd)
  }
  if (value === undefined || !sealedByThisMinor(value)) return undefined
  try {
    checkVersion(value, file)
  } catch (error) {
    throw withFile(error, file)
  }
  return withoutSeal(value)
}

/** The error for a recording that cannot be read at all (a folder, no permission, …). */
export function unreadable(file: string, error: unknown): ReplayKitError {
  const code = (error as NodeJS.ErrnoException).code
  const why =
    code === 'ENOENT'
      ? 'the file does not exist'
      : code === 'EISDIR'
        ? 'it is a folder, not a file'
        : (error as Error).message
  return new UnreadableError(`Failed to read the recording: ${why}.`, {
    file,
    hint: 'check the path; recordings are written to __snapshots__/<test file>.rpk beside each test file.',
    cause: error,
  })
}

/**
 * Load a `.rpk` from its bytes (or text). `file` names it in errors; every
 * error thrown names it.
 */
export function parseRpk(input: string | Uint8Array, file = '<input>'): RpkFile {
  try {
    return load(input, file)
  } catch (error) {
    throw withFile(error, file)
  }
}

function load(input: string | Uint8Array, file: string): RpkFile {
  let bytes: Uint8Array
  if (typeof input === 'string') {
    checkRpkText(input, file)
    bytes = Buffer.from(input)
  } else {
    bytes = input
    checkRpkBytes(bytes, file)
  }
  // The writer's own bytes (text-hash.ts): what it guarantees by construction is not checked again,
  // and its layout lets them be parsed run by run (sealed-parse.ts).
  const sealedBytes = isSealed(bytes)
  const value = (sealedBytes ? parseSealedOrUndefined(bytes) : undefined) ?? parseJson(textOf(input, bytes), file)
  // Trusted only when sealed by a writer of this reader's minor: a later minor may add checks that an
  // older writer did not make before sealing, and those run on the older file here.
  if (sealedBytes && sealedByThisMinor(value)) {
    checkVersion(value, file)
    return withoutSeal(value)
  }
  // Unsealed bytes (1.0 files, hand edits) that passed every check before, in this build, are not checked again.
  const checked = checkedCache()
  const key = checked?.keyOf(bytes)
  if (key !== undefined && checked?.has(key)) return withoutSeal(value)
  const rpk = checkLoaded(value, bytes, file)
  if (key !== undefined) checked?.add(key)
  return rpk
}

/** The seal belongs to the bytes, not to the content: a loaded file is the content, as built. */
function withoutSeal(value: unknown): RpkFile {
  delete (value as { textHash?: string }).textHash
  return value as RpkFile
}

/** The checks of a parsed, unsealed recording: structure, version, schema, replay rules and content hash. */
function checkLoaded(value: unknown, bytes: Uint8Array, file: string): RpkFile {
  checkStructure(bytes, file)
  checkVersion(value, file)
  const violation = validateRpk(value) ?? findUnreplayable(value as RpkFile)
  if (violation) {
    throw new SchemaError(
      `Failed to load the recording: ${violation.path} ${violation.message} (schema ${SCHEMA_VERSION}).`,
      { file, hint: RESTORE },
    )
  }
  const rpk = withoutSeal(value)
  // The text as read hashes to the stored hash for any file written by ReplayKit: no canonical pass needed.
  if (contentHashAsRead(rpk) === rpk.contentHash) return rpk
  const actual = computeContentHash(rpk)
  if (actual !== rpk.contentHash) {
    throw new HashMismatchError(
      `Failed to load the recording: its content hash does not match (stored ${short(rpk.contentHash)}, computed ${short(actual)}): the file was edited or tampered with after it was written.`,
      {
        file,
        hint: `if the edit was deliberate, run \`replaykit rehash ${file}\`; otherwise ${RESTORE}`,
      },
    )
  }
  return rpk
}

function sealedByThisMinor(value: unknown): boolean {
  const version = (value as { schemaVersion?: unknown } | null)?.schemaVersion
  return typeof version === 'string' && version.startsWith(`${READER_MAJOR}.${READER_MINOR}.`)
}

function textOf(input: string | Uint8Array, bytes: Uint8Array): string {
  return typeof input === 'string' ? input : decodeCheckedBytes(bytes)
}

/** The run-by-run parse of sealed bytes; undefined (parse the whole text) when it cannot split them. */
function parseSealedOrUndefined(bytes: Uint8Array): unknown {
  try {
    return parseSealed(bytes)
  } catch {
    return undefined
  }
}

function parseJson(text: string, file: string): unknown {
  if (text.length === 0) {
    throw new TruncatedError('Failed to load the recording: the file is empty (0 bytes).', {
      file,
      hint: `an interrupted write or copy leaves an empty file: ${RESTORE}`,
    })
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    const message = (error as Error).message
    const at = errorOffset(message, text)
    const { line, column } = lineColumn(text, at)
    const truncated = at >= text.trimEnd().length || /end of (JSON|data) input/i.test(message)
    if (truncated) {
      throw new TruncatedError(
        `Failed to load the recording: the JSON ends early at line ${line}, column ${column}; the file is truncated (an interrupted write or copy).`,
        { file, hint: RESTORE },
      )
    }
    throw new InvalidJsonError(
      `Failed to load the recording: invalid JSON at line ${line}, column ${column}: ${message.replace(/\s*\(line \d+ column \d+\)$/, '')}.`,
      {
        file,
        hint: `fix the JSON by hand (often a merge conflict) and run \`replaykit rehash ${file}\`, or ${RESTORE}`,
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

function checkStructure(bytes: Uint8Array, file: string): void {
  const problem = findStructureProblem(bytes)
  if (!problem) return
  // A path hundreds of levels deep says nothing more than its start.
  const path = problem.path.length > 24 ? `${formatJsonPath(problem.path.slice(0, 24))}…` : formatJsonPath(problem.path)
  const at = where(bytes, problem.offset)
  if (problem.kind === 'duplicate') {
    throw new DuplicateKeyError(
      `Failed to load the recording: ${path} appears twice in the same object (the second at ${at}); JSON readers keep only one, so what is replayed would differ from what a reviewer reads.`,
      {
        file,
        hint: `remove one of the two members (often a bad merge), or ${RESTORE}`,
      },
    )
  }
  if (problem.kind === 'depth') {
    throw new TooDeepError(
      `Failed to load the recording: the value at ${path} (${at}) nests deeper than ${MAX_JSON_DEPTH} levels, the most a recording may have.`,
      { file, hint: `a recorded body nested this deep is stored as text; ${RESTORE}` },
    )
  }
  throw new SchemaError(
    `Failed to load the recording: ${path} is the number ${problem.token} (${at}), which does not read back exactly as a JSON number (it reads as ${Number(problem.token)}).`,
    {
      file,
      hint: `write the number as a string (ReplayKit stores such a body as text), or ${RESTORE}`,
    },
  )
}

/** Every load error names the file: an error from deeper down that does not is given it. */
function withFile(error: unknown, file: string): unknown {
  if (isReplayKitError(error)) {
    if (error.file !== undefined) return error
    return new ERROR_CLASSES[error.code](error.message.replace(/^\[ReplayKit\] /, '').split('\n  Fix: ')[0] ?? '', {
      file,
      hint: error.hint ?? RESTORE,
      cause: error,
    })
  }
  const message = error instanceof Error ? error.message : String(error)
  return new SchemaError(`Failed to load the recording: it could not be checked (${message}).`, {
    file,
    hint: `${RESTORE} If the file looks right, this is a bug in ReplayKit: report it with the file.`,
    cause: error,
  })
}

function checkVersion(value: unknown, file: string): void {
  const version =
    typeof value === 'object' && value !== null ? (value as { schemaVersion?: unknown }).schemaVersion : undefined
  const { major: semverMajor, minor: semverMinor, valid: semverValid } = semver()
  if (typeof version !== 'string' || !semverValid(version)) {
    throw new SchemaError(
      `Failed to load the recording: $.schemaVersion is ${version === undefined ? 'missing' : `not a semver version (${JSON.stringify(version)})`}; this is not a ReplayKit recording or it was damaged.`,
      { file, hint: RESTORE },
    )
  }
  const major = semverMajor(version)
  // Patch versions never change the format: 1.0.1 reads like 1.0.0 (docs/schema.md).
  if (major > READER_MAJOR || (major === READER_MAJOR && semverMinor(version) > READER_MINOR)) {
    throw new FutureVersionError(
      `Failed to load the recording: it has schema version ${version}, newer than ${SCHEMA_VERSION}, the newest this ReplayKit reads.`,
      { file, hint: `upgrade the @replaykit packages to a release that reads schema ${version}.` },
    )
  }
  if (major < READER_MAJOR) {
    throw new OldVersionError(
      `Failed to load the recording: it has schema version ${version}; this ReplayKit reads ${READER_MAJOR}.x.`,
      { file, hint: `run \`replaykit migrate ${file}\` to upgrade it.` },
    )
  }
}

function short(hash: string): string {
  return `${hash.slice(0, 'sha256:'.length + 12)}…`
}
