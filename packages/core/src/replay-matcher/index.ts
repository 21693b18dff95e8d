export type { AssertionContext } from './assert-replay.js'
export { assertReplay, divergenceFields } from './assert-replay.js'
export type { CaptureReplayInput, ReplayCaptureOptions } from './capture-replay.js'
export { captureReplay } from './capture-replay.js'
export type { ReplayKitOptions, SerializedConfig } from './config.js'
export {
  captureDefaults,
  checkReporterOptions,
  DEFAULT_REPORT_FILE,
  MODE_ENV,
  serializeConfig,
  withEnvMode,
} from './config.js'
export { addLateProblems } from './late-entries.js'
export { installRealmDeterminism } from './realm.js'
export { failedCallWarnings } from './recording-warnings.js'
export type { CaptureRecord, ReplayRun } from './replay-run.js'
export { captureRecordOf, createReplayRun } from './replay-run.js'
export type { SlowdownCheck } from './slowdown.js'
export { checkSlowdown, validateGate } from './slowdown.js'
export type { ReplayAssertionOptions, ReplayStatus, ReplayVerdict, SlowdownGate } from './types.js'
export type { UnassertedResult } from './unasserted.js'
export { checkUnasserted } from './unasserted.js'
