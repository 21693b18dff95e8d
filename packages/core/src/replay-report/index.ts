export type { ReportInput } from './build.js'
export { createReport, fileEntryOf, mergeReports } from './build.js'
export type { EmitReportInput, ReportShard } from './emit.js'
export { emitReport, finalAttempts, reportPath } from './emit.js'
export type { FormatReportOptions } from './format.js'
export { formatReport, terminalColors } from './format.js'
export { parseReport, readReportFile, writeReportFile } from './io.js'
export type {
  ReplayEntry,
  ReplayEntryDivergence,
  ReplayEntryStatus,
  ReplayFileEntry,
  ReplayReport,
  ReplayTotals,
  ReportFormat,
} from './types.js'
export { REPORT_SCHEMA } from './types.js'
