/**
 * Reading and writing JSON reports (the `json` form, and the input of
 * `replaykit report merge`).
 */
import { readFileSync } from 'node:fs'
import { atomicWrite } from '../artifact/write.js'
import { InvalidJsonError, SchemaError, UnreadableError } from '../errors/classes.js'
import { REPORT_SCHEMA, type ReplayReport } from './types.js'

/** Write a report as pretty JSON, atomically. */
export function writeReportFile(file: string, report: ReplayReport): void {
  atomicWrite(file, `${JSON.stringify(report, null, 2)}\n`)
}

/** Read a JSON report, checking it is one this version understands. */
export function readReportFile(file: string): ReplayReport {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new UnreadableError(`Failed to read the report: ${(error as Error).message}`, {
      file,
      hint: 'check the path; reports are written where the `reportFile` option says.',
      cause: error,
    })
  }
  return parseReport(text, file)
}

/** Parse a JSON report's text. `file` names it in errors. */
export function parseReport(text: string, file = '<input>'): ReplayReport {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new InvalidJsonError(`Failed to read the report: ${(error as Error).message}.`, {
      file,
      hint: 'give the JSON file a ReplayKit reporter wrote (report: "json").',
    })
  }
  const report = value as Partial<ReplayReport> | null
  if (typeof report !== 'object' || report === null || report.schema !== REPORT_SCHEMA) {
    const schema = typeof report === 'object' && report !== null ? JSON.stringify(report.schema) : 'none'
    throw new SchemaError(`Failed to read the report: its schema is ${schema}, expected "${REPORT_SCHEMA}".`, {
      file,
      hint: 'give a JSON report written by this version of the ReplayKit reporter.',
    })
  }
  if (!Array.isArray(report.runs) || !Array.isArray(report.files)) {
    throw new SchemaError('Failed to read the report: $.runs and $.files must be arrays.', {
      file,
      hint: 'the file was edited or truncated; write it again by re-running the tests with the json report.',
    })
  }
  return report as ReplayReport
}
