/**
 * Writing a `.rpk`: canonical bytes, a content hash, a secret scan, and an
 * atomic replace (temp file in the same folder, fsync, rename), skipped when
 * the recorded content is unchanged so that re-running tests never touches a
 * committed file.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { ReplayKitError } from '../errors.js'
import { findSecret } from '../redact/patterns.js'
import { WRITER } from '../version.js'
import { canonicalStringify } from './canonical-json.js'
import { computeContentHash } from './hash.js'
import { readRpkFile } from './read.js'
import { SCHEMA_VERSION } from './schema/v1.js'
import type { RpkFile, RpkMeta } from './types.js'

export interface RpkContent {
  runs: RpkFile['runs']
  blobs?: RpkFile['blobs']
  /** Test file the runs belong to, relative to the `.rpk`, `/`-separated. */
  source?: string
}

/** Build the complete file object (version, hash, metadata) for some content. */
export function buildRpk(content: RpkContent, now: Date = new Date()): RpkFile {
  const meta: RpkMeta = { writer: WRITER, updatedAt: now.toISOString() }
  if (content.source !== undefined) meta.source = content.source.split('\\').join('/')
  const file: RpkFile = {
    schemaVersion: SCHEMA_VERSION,
    contentHash: computeContentHash(content),
    meta,
    runs: content.runs,
  }
  if (content.blobs && Object.keys(content.blobs).length > 0) file.blobs = content.blobs
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
  const contentHash = computeContentHash(content)
  if (existing && existing.contentHash === contentHash && existing.schemaVersion === SCHEMA_VERSION) {
    return { written: false, contentHash }
  }
  const text = serializeRpk(buildRpk(content))
  assertNoSecrets(text, file)
  atomicWrite(file, text)
  return { written: true, contentHash }
}

/** Throws RPK_SECRET_DETECTED when the text holds something that looks like a credential. */
export function assertNoSecrets(text: string, file: string): void {
  const secret = findSecret(text)
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
