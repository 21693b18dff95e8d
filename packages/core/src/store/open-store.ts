/**
 * The store for a `.rpk` a command is about to write: the journal store when a
 * journal lies beside it (a capture was killed or is still writing, so its
 * exchanges are folded in rather than lost), the `.rpk` store otherwise.
 */
import { existsSync } from 'node:fs'
import { journalPathFor } from './journal-format.js'
import { JournalStore, type JournalStoreOptions } from './journal-store.js'
import type { RecordingStore } from './port.js'
import { RpkStore } from './rpk-store.js'

/** The store of the `.rpk` at `path`. */
export function openRecordingStore(path: string, options: JournalStoreOptions = {}): RecordingStore {
  return existsSync(journalPathFor(path)) ? new JournalStore(path, options) : new RpkStore(path, options)
}
