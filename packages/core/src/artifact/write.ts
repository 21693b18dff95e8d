/**
 * Writing a `.rpk`: canonical bytes, a content hash, a secret scan, and an
 * atomic replace (temp file in the same folder, fsync, rename), skipped when
 * the recorded content is unchanged so that re-running tests never touches a
 * committed file.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { ReplayKitError } from '../errors.js'
import { WRITER } from '../version.js'
import { canonicalForm, NO_FORM } from './canonical-form.js'
import { canonicalStringify, stringifyForm } from './canonical-json.js'
import { computeContentHash, contentHashOfForms } from './hash.js'
import { readRpkFile } from './read.js'
import { SCHEMA_VERSION } from './schema/v1.js'
import { scanRecordedText } from './secret-scan.js'
import type { RpkFile, RpkMeta } from './types.js'

export interface RpkContent {
  runs: RpkFile['runs']
  blobs?: RpkFile['blobs']
  /** Test file the runs belong to, relative to the `.rpk`, `/`-separated. */
  source?: string
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
  const file: RpkFile = { schemaVersion: SCHEMA_VERSION, contentHash, meta, runs }
  if (content.blobs && Object.keys(content.blobs).length > 0) file.blobs = blobs
  return file
}

/** The exact text a file is written as. */
export function serializeRpk(file: RpkFile): string {
  return canonicalStringify(file)
}

export interface WriteResult {
  written: boolean
  contentHash: string
}

/**
 * Write content to a `.rpk` atomically.
 *
 * Refuses (throws, writes nothing) when the text would contain a secret, or when
 * the file on disk exists but cannot be loaded: a corrupt or future-version file
 * is never overwritten silently. Skips the write when the file already holds the
 * same content hash.
 */
export function writeRpkFile(file: string, content: RpkContent): WriteResult {
  // Throws a typed error for a corrupt, tampered or future file: we must not replace it.
  const existing = readRpkFile(file)
  const formed = formContent(content)
  const contentHash = formed ? contentHashOfForms(formed.runs, formed.blobs) : computeContentHash(content)
  if (existing && existing.contentHash === contentHash && existing.schemaVersion === SCHEMA_VERSION) {
    return { written: false, contentHash }
  }
  const text = formed
    ? serializeFormed(fileOf(content, contentHash, new Date(), formed.runs, formed.blobs), formed)
    : serializeRpk(fileOf(content, contentHash, new Date()))
  assertNoSecrets(text, file)
  atomicWrite(file, text)
  return { written: true, contentHash }
}

interface FormedContent {
  runs: RpkFile['runs']
  blobs: NonNullable<RpkFile['blobs']>
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
  throw new ReplayKitError(
    'RPK_SECRET_DETECTED',
    `Refused to write the recording: line ${line} would contain a value that looks like a ${secret.name}. Nothing was written.`,
    {
      file,
      hint: 'add a redaction rule for that field (redact: { paths, patterns, headers }) so it is replaced before writing.',
    },
  )
}

/** Write a file via a temp file in the same folder, fsync and rename: readers never see half a file. */
export function atomicWrite(file: string, text: string): void {
  const folder = dirname(file)
  mkdirSync(folder, { recursive: true })
  const temp = join(folder, `.${basename(file)}.${process.pid}.${Math.floor(performance.now() * 1000)}.tmp`)
  try {
    const fd = openSync(temp, 'w')
    try {
      writeSync(fd, text)
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
