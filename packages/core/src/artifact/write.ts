/**
 * Writing a `.rpk`: canonical bytes, a content hash, a secret scan, and an
 * atomic replace (temp file in the same folder, fsync, rename), skipped when
 * the recorded content is unchanged so that re-running tests never touches a
 * committed file.
 */
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { SecretDetectedError, WriteRefusedError } from '../errors/classes.js'
import { isReplayKitError } from '../errors.js'
import { WRITER } from '../version.js'
import { canonicalStringify } from './canonical-json.js'
import { formContent, formedText, hashFormed, type TextProducer } from './formed-writer.js'
import { computeContentHash } from './hash.js'
import { readRpkFile } from './read.js'
import { findUnreplayable } from './replayable.js'
import { SCHEMA_VERSION } from './schema/v1.js'
import { mayHoldSecret, scanRecordedText } from './secret-scan.js'
import { removeDeadTemps, tempPathIn } from './temp-files.js'
import { sealText } from './text-hash.js'
import { writeText } from './text-stream.js'
import type { RpkCapture, RpkFile, RpkMeta, Run } from './types.js'
import { followsRuns, followsSchema } from './validate.js'

export interface RpkContent {
  runs: RpkFile['runs']
  blobs?: RpkFile['blobs']
  /** Test file the runs belong to, relative to the `.rpk`, `/`-separated. */
  source?: string
  /** The capture's mode and policy source (`meta.capture`): metadata, not content. */
  capture?: RpkCapture
}

/** Build the complete file object (version, hash, metadata) for some content. */
export function buildRpk(content: RpkContent, now: Date = new Date()): RpkFile {
  return fileOf(content, computeContentHash(content), now)
}

/** The file object for content whose hash is known; `runs` and `blobs` may be canonical forms of the content's. */
function fileOf(
  content: RpkContent,
  contentHash: string,
  now: Date,
  runs: RpkFile['runs'] = content.runs,
  blobs: RpkFile['blobs'] = content.blobs,
): RpkFile {
  const meta: RpkMeta = { writer: WRITER, updatedAt: now.toISOString() }
  if (content.source !== undefined) meta.source = content.source.split('\\').join('/')
  if (content.capture !== undefined)
    meta.capture = { mode: content.capture.mode, policySource: content.capture.policySource }
  const file: RpkFile = { schemaVersion: SCHEMA_VERSION, contentHash, meta, runs }
  if (content.blobs && Object.keys(content.blobs).length > 0) file.blobs = blobs
  return file
}

/**
 * The exact text a file is written as. Sealed with a `textHash` (text-hash.ts) when the file's
 * `contentHash` is the hash of its content: the seal lets a load skip that check.
 */
export function serializeRpk(file: RpkFile): string {
  const { textHash: _stale, ...rest } = file as RpkFile & { textHash?: unknown }
  const text = canonicalStringify(rest)
  return computeContentHash(rest) === rest.contentHash && loadable(rest) ? sealText(text) : text
}

/**
 * True when a load would accept the file: it follows the schema and replay's rules. Only such
 * a file is sealed, since a sealed load does not check them again (text-hash.ts); any other is
 * written unsealed, and its load refuses it with the path, as before.
 */
function loadable(file: RpkFile): boolean {
  // Checked in memory first; a member left undefined fails there but is not in the text at all,
  // so a file that fails is checked again as it will read back (rare: only odd content pays).
  return passesChecks(file) || passesChecks(JSON.parse(JSON.stringify(file)) as RpkFile)
}

function passesChecks(file: RpkFile): boolean {
  return followsSchema(file) && findUnreplayable(file) === undefined
}

export interface WriteResult {
  written: boolean
  contentHash: string
}

export interface WriteOptions {
  /**
   * Replace the file on disk even when it cannot be loaded (corrupt, tampered,
   * schema errors): only on the user's explicit request (`--replace-invalid`).
   * A symlink is never replaced.
   */
  replaceUnreadable?: boolean
  /**
   * Skip the whole-file secret scan: the caller screened every new run itself
   * (the store refuses a run alone, store/secret-refusal.ts) and the rest is
   * already on disk. A newer pattern matching an old run must not make every
   * other run of the file unsaveable.
   */
  screened?: boolean
  /**
   * What the caller has just loaded from `file` under its lock (`null`: no file there), so that
   * it is not read and loaded a second time. Undefined: read it here.
   */
  existing?: Pick<RpkFile, 'contentHash' | 'schemaVersion'> | null
}

/**
 * Write content to a `.rpk` atomically.
 *
 * Refuses (throws, writes nothing) when the text would contain a secret, when
 * the path is a symlink, or when the file on disk exists but cannot be loaded
 * (unless `replaceUnreadable`): a corrupt or future-version file is never
 * overwritten silently. Skips the write when the file already holds the same
 * content hash.
 */
export function writeRpkFile(file: string, content: RpkContent, options: WriteOptions = {}): WriteResult {
  assertNotSymlink(file)
  // Throws a typed error for a corrupt, tampered or future file: we must not replace it unless asked to.
  const existing =
    options.existing !== undefined
      ? (options.existing ?? undefined)
      : readExisting(file, options.replaceUnreadable === true)
  const formed = formContent(content.runs, content.blobs)
  // Formed content is hashed, and written, run by run (formed-writer.ts).
  const hashed = formed ? hashFormed(formed) : undefined
  const contentHash = hashed?.contentHash ?? computeContentHash(content)
  if (existing && existing.contentHash === contentHash && existing.schemaVersion === SCHEMA_VERSION) {
    return { written: false, contentHash }
  }
  if (!hashed || !formed) {
    const rpk = fileOf(content, contentHash, new Date())
    const text = canonicalStringify(rpk)
    if (options.screened !== true) assertNoSecrets(text, file)
    atomicWrite(file, (fd) => writeText(fd, (add) => add(text), loadable(rpk)))
    return { written: true, contentHash }
  }
  const rpk = fileOf(content, contentHash, new Date(), content.runs, formed.blobs)
  // Each run is checked for the seal in the text pass, as it is formed for its text (and dropped).
  const check = sealCheck(rpk, formed.blobs)
  const produce: TextProducer = formedText(rpk, formed, check.run) ?? wholeText(rpk)
  // The compact hashed text holds every recorded string: when neither it nor the small rest of
  // the file can hold a secret, the whole text cannot (secret-scan.ts). Else scan the file's text.
  const screened = options.screened === true || (!hashed.mayHoldSecret && !mayHoldSecret(JSON.stringify(rpk.meta)))
  if (!screened) assertNoSecrets(textOf(produce), file)
  // We computed the content hash from the content: a loadable file is sealed (text-hash.ts),
  // decided once the text has been made (written as it is made, through one reused block).
  atomicWrite(file, (fd) => writeText(fd, produce, check.passed))
  return { written: true, contentHash }
}

/**
 * `loadable` for a file whose runs are formed and given one at a time: `run` sees each formed run
 * (a run seen before is not checked again), `passed` says whether the file passes when every run
 * has been seen. Only a file that passes is sealed.
 */
function sealCheck(
  rpk: RpkFile,
  blobs: NonNullable<RpkFile['blobs']>,
): { run: (key: string, run: Run) => void; passed: () => boolean } {
  // The top level and blobs first, with no runs (as `loadable`, read back when a member left
  // undefined fails in memory): the runs' blob references are resolved in the blobs as read.
  const outline: RpkFile = { ...rpk, runs: {} }
  let blobsAsRead = blobs
  let topPasses = passesChecks(outline)
  if (!topPasses) {
    const read = JSON.parse(JSON.stringify(outline)) as RpkFile
    topPasses = passesChecks(read)
    blobsAsRead = read.blobs ?? {}
  }
  const seen = new Set<string>()
  let runsPass = topPasses
  return {
    run: (key, run) => {
      if (seen.has(key)) return
      seen.add(key)
      if (runsPass) runsPass = runLoadable(key, run, blobsAsRead)
    },
    passed: () => runsPass,
  }
}

/** True when one formed run passes the schema and replay's rules, with the file's blobs (its references name them). */
function runLoadable(key: string, run: Run, blobs: NonNullable<RpkFile['blobs']>): boolean {
  // No prototype: a run keyed "__proto__" is a member here too (and the schema refuses it).
  const runs = Object.create(null) as RpkFile['runs']
  runs[key] = run
  const passes = (): boolean => followsRuns(runs) && findUnreplayable({ runs, blobs } as RpkFile) === undefined
  if (passes()) return true
  // As `loadable`: an array item left undefined fails here but reads back as null; check the run
  // as it will read back (rare: only odd content pays).
  runs[key] = JSON.parse(JSON.stringify(run)) as Run
  return passes()
}

/** The whole text at once, when the file is not laid out for the piece-by-piece writer (rare). */
function wholeText(rpk: RpkFile): TextProducer {
  const text = canonicalStringify(rpk)
  return (add) => add(text)
}

function textOf(produce: TextProducer): string {
  const pieces: string[] = []
  produce((text) => pieces.push(text))
  return pieces.join('')
}

/** Throws RPK_SECRET_DETECTED when the text holds something that looks like a credential. */
export function assertNoSecrets(text: string, file: string): void {
  const secret = scanRecordedText(text)
  if (!secret) return
  const line = text.slice(0, secret.index).split('\n').length
  throw new SecretDetectedError(
    `Refused to write the recording: line ${line} would contain a value that looks like a ${secret.name}. Nothing was written.`,
    {
      file,
      hint: 'add a redaction rule for that field (redact: { paths, patterns, headers }) so it is replaced before writing.',
    },
  )
}

function readExisting(file: string, replaceUnreadable: boolean): RpkFile | undefined {
  try {
    return readRpkFile(file)
  } catch (error) {
    if (replaceUnreadable && isReplayKitError(error) && isReplaceable(error.code)) return undefined
    throw error
  }
}

/**
 * Load failures `--replace-invalid` may overwrite: the content cannot be used
 * anyway and the user asked. A file from another schema major or a newer minor
 * needs an upgrade or `replaykit migrate`, and an I/O error (permissions, a
 * folder) is not about the content: those are never replaced.
 */
export function isReplaceable(code: string): boolean {
  return code !== 'RPK_FUTURE_VERSION' && code !== 'RPK_OLD_VERSION' && code !== 'RPK_UNREADABLE'
}

/**
 * Throws RPK_WRITE_REFUSED when `file` is a symlink: a rename would replace the
 * link with a plain file, and writing through it would change a file elsewhere
 * (often shared by several projects).
 */
export function assertNotSymlink(file: string): void {
  let link = false
  try {
    link = lstatSync(file).isSymbolicLink()
  } catch {
    return
  }
  if (link) {
    throw new WriteRefusedError(
      'Failed to write the recording: the path is a symlink, and ReplayKit never writes through or replaces a link. Nothing was written.',
      {
        file,
        hint: 'replace the link with a copy of the file it points to (or delete it), then run again.',
      },
    )
  }
}

/**
 * Write a file via a temp file in the same folder, fsync and rename: readers
 * never see half a file. First removes the temp files of writers that died
 * mid-write (killed, crashed) in that folder. `text` is the text, or a function that writes it
 * to the temp file's descriptor (text-stream.ts).
 */
export function atomicWrite(file: string, text: string | ((fd: number) => void)): void {
  assertNotSymlink(file)
  const folder = dirname(file)
  mkdirSync(folder, { recursive: true })
  removeDeadTemps(folder)
  const temp = tempPathIn(folder)
  try {
    const fd = openSync(temp, 'wx')
    try {
      if (typeof text === 'string') writeSync(fd, text)
      else text(fd)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(temp, file)
  } catch (error) {
    rmSync(temp, { force: true })
    throw error
  }
  syncFolder(folder)
}

function syncFolder(folder: string): void {
  // Makes the rename durable on Linux; not supported everywhere (Windows), and not needed there.
  try {
    const fd = openSync(folder, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch {
    /* best effort */
  }
}
