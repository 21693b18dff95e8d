/**
 * `replaykit rehash FILE`: after a deliberate hand edit, store the content hash
 * of what the file now holds. The file must still be JSON and follow the
 * schema; only the hash check is skipped.
 */
import { buildRpk, isReplayKitError, openRecordingStore, parseRpk, type RpkFile } from '@replaykit/core'
import type { CommandContext, CommandResult } from '../context.js'
import { EXIT_CODES } from '../exit-codes.js'
import { readRecordingBytes } from '../load.js'

export function rehash(file: string, context: CommandContext): CommandResult {
  const bytes = readRecordingBytes(file)
  const edited = loadWithoutHashCheck(bytes, file)
  const { info, colors: c } = context
  if (!edited) {
    const rpk = parseRpk(bytes, file)
    info(`${file}: the content hash already matches (${rpk.contentHash.slice(0, 19)}…); nothing written`)
    return result(file, false, rpk.contentHash, rpk.contentHash, false)
  }
  // The metadata the file had is kept: the test file it belongs to, and how a gateway captured it.
  const rebuilt = buildRpk({
    runs: edited.runs,
    blobs: edited.blobs,
    source: edited.meta.source,
    ...(edited.meta.capture ? { capture: edited.meta.capture } : {}),
  })
  // Through the store: a journal beside the file (a capture that was killed) is folded in, not lost.
  openRecordingStore(file).replace(rebuilt)
  info(
    `${file}: ${c.green('content hash updated')} ${edited.contentHash.slice(0, 19)}… → ${rebuilt.contentHash.slice(0, 19)}…`,
  )
  const unsigned = edited.signature !== undefined
  if (unsigned) info(`${file}: the signature no longer applies and was removed; sign the file again`)
  return result(file, true, edited.contentHash, rebuilt.contentHash, unsigned)
}

/**
 * The file as parsed when only its hash is wrong; undefined when it loads as is.
 * parseRpk checks the encoding, JSON, structure (no duplicate members), version,
 * schema and replay rules before the hash, so a hash mismatch means everything
 * else passed: rehash never turns a corrupt file into a "valid" one.
 */
function loadWithoutHashCheck(bytes: Uint8Array, file: string): RpkFile | undefined {
  try {
    parseRpk(bytes, file)
    return undefined
  } catch (error) {
    if (isReplayKitError(error) && error.code === 'RPK_HASH_MISMATCH') {
      return JSON.parse(Buffer.from(bytes).toString('utf8')) as RpkFile
    }
    throw error
  }
}

function result(
  file: string,
  written: boolean,
  previousHash: string,
  contentHash: string,
  signatureRemoved: boolean,
): CommandResult {
  return {
    exitCode: EXIT_CODES.ok,
    json: {
      command: 'rehash',
      ok: true,
      exitCode: EXIT_CODES.ok,
      file,
      written,
      previousHash,
      contentHash,
      signatureRemoved,
    },
  }
}
