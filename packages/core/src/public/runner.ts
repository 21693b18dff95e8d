/**
 * `@replaykit/core/runner`: the runner SPI that @replaykit/vitest and
 * @replaykit/jest translate their lifecycle into: where recordings live, the
 * update policy, the per-file store, `toMatchReplay`'s logic, the report and
 * `emitReport`. Loads the engine (msw only when a capture needs it). Not meant for end users: the
 * runner packages are.
 *
 * @note For the merger: store, matcher and report names the runner packages
 * need go here; the report format itself (types, createReport, formatReport)
 * is in the root as well.
 */

export { removeDeadTemps } from '../artifact/temp-files.js'
// The one owner of process-wide state: the runner packages keep theirs in the same slot (one per process, any copy).
export { shared } from '../engine/runtime/runtime.js'
// The hooks a runner or the CLI runs where it writes or judges (beforeWrite, onDivergence) and the plugins' store.
export { asMatched, pluginStore, runHookSync } from '../plugins/index.js'
export * from '../replay-matcher/index.js'
export type { EmitReportInput, ReportShard } from '../replay-report/emit.js'
export { emitReport, finalAttempts, reportPath } from '../replay-report/emit.js'
export * from '../replay-report/index.js'
export * from '../store/index.js'
