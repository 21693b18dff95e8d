/**
 * Redaction: what is replaced by a placeholder before anything is stored,
 * compared or logged. See docs/redaction.md.
 */
export type { CompiledPath, PathSelector } from './json-path-select.js'
export { compileJsonPath, removePaths, replacePaths } from './json-path-select.js'
export type { SecretPattern } from './patterns.js'
export { findSecret, placeholder, redactSecrets, SECRET_PATTERNS } from './patterns.js'
export { redactPrinted, redactPrintedJson } from './printed.js'
export type { Redactor } from './redactor.js'
export { createRedactor } from './redactor.js'
export { DEFAULT_REDACTED_HEADERS, DEFAULT_REDACTED_QUERY_PARAMS } from './rules.js'
export type { RedactContext, RedactOptions } from './types.js'
