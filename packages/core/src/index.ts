/**
 * `@replaykit/core`: the root entry, with no side effects and without MSW.
 *
 * What belongs here (what the CLI's read commands and a UI need): the `.rpk`
 * format (read, validate, hash, canonical JSON, write), the diff, timeline rows,
 * run selection and pairing, redaction, provider adapters, the report format,
 * the errors and the modes. Importing it must stay cheap (`npm run bench`,
 * `startup-` rows) and never load msw or @mswjs/interceptors (a test checks).
 *
 * @note For the merger: put a new name here only when its module graph is free
 * of msw and of process-wide side effects. Otherwise it goes to a subpath in
 * src/public/: `engine.ts` (capture engine, determinism), `node.ts` (blockNetwork,
 * the Node transport), `runner.ts` (the SPI of @replaykit/vitest and @replaykit/jest:
 * store, matcher, emitReport), `errors.ts` (the error family, also re-exported here).
 * Everything not exported from an entry is internal.
 * A dependency (or `node:crypto`) that only some calls need is reached through
 * lazy-deps.ts, which loads it on first use: the import of this entry pays
 * nothing for it (benchmark 10, and test/e2e/entry-points.test.ts checks).
 */
export { canonicalizeText, canonicalKey, canonicalStringify } from './artifact/canonical-json.js'
export { computeContentHash, computeRunHash, sha256, stableRun, stableStep } from './artifact/hash.js'
export type { PathSegment } from './artifact/json-path.js'
export { formatJsonPath } from './artifact/json-path.js'
/** Whether a process with this PID runs (a zombie does not): for a PID file's owner, as the file locks judge theirs. */
export { isPidAlive } from './artifact/process-owner.js'
export { parseRpk, readRpkFile, unreadable } from './artifact/read.js'
export { rpkSchemaV1, SCHEMA_VERSION } from './artifact/schema/v1.js'
export type * from './artifact/types.js'
export type { SchemaViolation } from './artifact/validate.js'
export { validateRpk } from './artifact/validate.js'
export type { RpkContent, WriteOptions, WriteResult } from './artifact/write.js'
export {
  assertNoSecrets,
  assertNotSymlink,
  atomicWrite,
  buildRpk,
  serializeRpk,
  writeRpkFile,
} from './artifact/write.js'
export type {
  CompareOptions,
  Divergence,
  DivergenceKind,
  DivergenceReason,
  DivergenceSection,
  FieldChange,
  FormatDivergenceOptions,
  LiveCompareOptions,
  PathLocation,
  RunComparison,
} from './diff/index.js'
export {
  compareLiveRun,
  compareRuns,
  compareSteps,
  DIVERGENCE_JSON_VERSION,
  divergenceJson,
  formatDivergence,
  isRetrievalUrl,
  MAX_DIVERGENCES,
  MAX_FIELD_CHANGES,
  relativePath,
  sectionOf,
  shortValue,
} from './diff/index.js'
// Types of the engine's options and results are part of the format users see; its code is in ./engine.
export type {
  CaptureOptions,
  CaptureOutcome,
  CaptureResult,
  LateRequests,
  MatchInput,
  MatchOptions,
  Mode,
  Pacing,
  ReplayProblem,
} from './engine/types.js'
export { MODES } from './engine/types.js'
export type {
  AdapterFields,
  AdapterMatch,
  ProviderAdapter,
  RequestSummary,
  ResponseSummary,
  ToolResult,
} from './providers/index.js'
export {
  adapterForProvider,
  adapters,
  anthropicAdapter,
  checkAdapter,
  findAdapter,
  geminiAdapter,
  openaiAdapter,
  PROVIDER_ADAPTERS,
  parseSseText,
  registerAdapter,
  shareAdapters,
} from './providers/index.js'
export * from './public/errors.js'
export type { CompiledPath, PathSelector, RedactContext, RedactOptions, Redactor } from './redact/index.js'
export {
  compileJsonPath,
  createRedactor,
  DEFAULT_REDACTED_HEADERS,
  DEFAULT_REDACTED_QUERY_PARAMS,
  placeholder,
  redactPrinted,
  redactSecrets,
  removePaths,
  replacePaths,
} from './redact/index.js'
export type { SecretPattern } from './redact/patterns.js'
export { findSecret, SECRET_PATTERNS } from './redact/patterns.js'
export type { ReportInput } from './replay-report/build.js'
export { createReport, fileEntryOf, mergeReports } from './replay-report/build.js'
export type { FormatReportOptions } from './replay-report/format.js'
export { formatReport, terminalColors } from './replay-report/format.js'
export { parseReport, readReportFile, writeReportFile } from './replay-report/io.js'
export type {
  ReplayEntry,
  ReplayEntryDivergence,
  ReplayEntryStatus,
  ReplayFileEntry,
  ReplayReport,
  ReplayTotals,
  ReportFormat,
} from './replay-report/types.js'
export { REPORT_SCHEMA } from './replay-report/types.js'
export type { RunPair } from './runs/index.js'
export { checkRunNames, countPairs, pairRuns, runMatches, selectRuns } from './runs/index.js'
// The store port and its two stores (no engine, no MSW): the CLI's writers, the gateway and the UI use them.
export type { JournalEntry, JournalHeader } from './store/journal-format.js'
export { JOURNAL_VERSION, journalPathFor } from './store/journal-format.js'
export type { JournalStoreOptions } from './store/journal-store.js'
export { JournalStore } from './store/journal-store.js'
export type { Migration, MigrationResult } from './store/migrations.js'
export { MIGRATIONS, migrateText, planMigrations } from './store/migrations.js'
export { openRecordingStore } from './store/open-store.js'
export type {
  RecordingStore,
  Rewrite,
  RewriteOptions,
  StoredState,
  StoreWarning,
  StoreWarningCode,
  StoreWriteResult,
} from './store/port.js'
export type { RpkStoreOptions } from './store/rpk-store.js'
export { RpkStore } from './store/rpk-store.js'
export { SseParser, serializeSseEvent } from './stream/sse.js'
export type { TimelineRow } from './timeline/index.js'
export { clip, MAX_TEXT, timelineRow } from './timeline/index.js'
export { VERSION } from './version.js'
