/**
 * The recording store shared by the Vitest plugin and the Jest preset: where
 * recordings live, the update policy, the per-file store, and (re-exported for
 * one import) the `toMatchReplay` logic and the replay report.
 */
export * from '../replay-matcher/index.js'
export * from '../replay-report/index.js'
export { inlineBlobs } from './blobs.js'
export type { CapturePlan, CapturePlanInput } from './capture-plan.js'
export { planCapture } from './capture-plan.js'
export type { LockOptions, LockOwner } from './file-lock.js'
export { lockPathFor, withFileLock } from './file-lock.js'
export type { FinishInput, FinishResult } from './file-session.js'
export { finishReplayFile, replayFileFor } from './file-session.js'
export type { JournalEntry, JournalHeader } from './journal-format.js'
export { JOURNAL_VERSION, journalPathFor } from './journal-format.js'
export type { JournalStoreOptions } from './journal-store.js'
export { JournalStore } from './journal-store.js'
export type { Migration, MigrationResult } from './migrations.js'
export { MIGRATIONS, migrateText, planMigrations } from './migrations.js'
export { openRecordingStore } from './open-store.js'
export { findOrphanedRpks, removeOrphanedRpks } from './orphans.js'
export type {
  RecordingStore,
  Rewrite,
  RewriteOptions,
  StoredState,
  StoreWarning,
  StoreWarningCode,
  StoreWriteResult,
} from './port.js'
export type { ReplayFileOptions, SaveResult } from './replay-file.js'
export { ReplayFile } from './replay-file.js'
export { rpkPathFor, SNAPSHOT_FOLDER, sourceFor } from './rpk-path.js'
export type { RpkStoreOptions } from './rpk-store.js'
export { RpkStore } from './rpk-store.js'
export { keyBelongsTo, legacyRunName, NAME_SEPARATOR, runKey, runName } from './run-key.js'
export type { RunnerName, UpdateInputs, UpdateState } from './update-state.js'
export {
  isCi,
  isTruthyEnv,
  REPLACE_INVALID_ENV,
  REPLACE_INVALID_FLAG,
  readBooleanEnv,
  recordCommand,
  resolveReplaceInvalid,
  resolveUpdateState,
  UPDATE_ENV,
  UPDATE_FLAG,
  UPDATE_STATES,
  updateCommand,
  updateStateFromArgv,
  updateStateFromEnv,
} from './update-state.js'
