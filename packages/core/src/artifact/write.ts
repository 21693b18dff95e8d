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
import { canonicalForm, NO_FORM } from './canonical-form.js'
import { canonicalStringify, stringifyForm } from './canonical-json.js'
import { type FormedContent, formedText, hashFormed, type TextProducer } from './formed-writer.js'
import { computeContentHash } from './hash.js'
import { readRpkFile } from './read.js'
import { findUnreplayable } from './replayable.js'
import { SCHEMA_VERSION } from './schema/v1.js'
import { mayHoldSecret, scanRecordedText } from './secret-scan.js'
import { removeDeadTemps, tempPathIn } from './temp-files.js'
import { sealText } from './text-hash.js'
import { writeText } from './text-stream.js'
import type { RpkCapture, RpkFile, RpkMeta } from './types.js'
import { followsSchema } from './validate.js'

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
  const passes = (value: RpkFile): boolean => followsSchema(value) && findUnreplayable(value) === undefined
  // Checked in memory first; a member left undefined fails there but is not in the text at all,
  // so a file that fails is checked again as it will read back (rare: only odd content pays).
  return passes(file) || passes(JSON.parse(JSON.stringify(file)) as RpkFile)
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
  const formed = formContent(content)
  // Formed content is hashed, and written, run by run (formed-writer.ts).
  const hashed = formed ? hashFormed(formed) : undefined
  const contentHash = hashed?.contentHash ?? computeContentHash(content)
  if (existing && existing.contentHash === contentHash && existing.schemaVersion === SCHEMA_VERSION) {
    return { written: false, contentHash }
  }
  const rpk = formed
    ? fileOf(content, contentHash, new Date(), formed.runs, formed.blobs)
    : fileOf(content, contentHash, new Date())
  const produce: TextProducer = (formed && formedText(rpk)) || oneText(formed, rpk)
  // The compact hashed text holds every recorded string: when neither it nor the small rest of
  // the file can hold a secret, the whole text cannot (secret-scan.ts). Else scan the file's text.
  const screened =
    options.screened === true ||
    (hashed !== undefined && !hashed.mayHoldSecret && !mayHoldSecret(JSON.stringify(rpk.meta)))
  if (!screened) assertNoSecrets(textOf(produce), file)
  // We computed the content hash from the content: a loadable file is sealed (text-hash.ts).
  const seal = loadable(rpk)
  // Written as it is made, through one reused block (text-stream.ts).
  atomicWrite(file, (fd) => writeText(fd, produce, seal))
  return { written: true, contentHash }
}

/**
 * The content's runs and blobs in canonical form, checked and key-sorted once
 * for both the hash and the text; undefined when only the reference writer can
 * write them (the slow path then also reports a value JSON cannot hold, with its path).
 */
function formContent(content: RpkContent): FormedContent | undefined {
  const runs = canonicalForm(content.runs)
  const blobs = canonicalForm(content.blobs ?? {})
  if (runs === NO_FORM || blobs === NO_FORM) return undefined
  return { runs, blobs } as FormedContent
}

/** The whole text at once, when the file is not laid out for the piece-by-piece writer. */
function oneText(formed: FormedContent | undefined, rpk: RpkFile): TextProducer {
  const text = formed ? serializeFormed(rpk, formed) : canonicalStringify(rpk)
  return (add) => add(text)
}

function textOf(produce: TextProducer): string {
  const pieces: string[] = []
  produce((text) => pieces.push(text))
  return pieces.join('')
}

/** The text of a file built from formed content: only its small top level is checked again. */
function serializeFormed(rpk: RpkFile, formed: FormedContent): string {
  const form = canonicalForm(rpk, new Set<unknown>([formed.runs, formed.blobs]))
  return form === NO_FORM ? serializeRpk(rpk) : stringifyForm(form, 2)
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
