/**
 * Options for redaction: what is replaced by a placeholder before anything is
 * stored, compared or logged.
 */
import type { JsonValue } from '../artifact/types.js'

/** Where a value being redacted sits. */
export interface RedactContext {
  /** `header`, `query`, `body` (a JSON value or text body) or `stream` (an event). */
  location: 'header' | 'query' | 'body' | 'stream'
  /** Header or query parameter name, or the JSON path in a body. */
  name: string
  value: JsonValue
  url: string
}

export interface RedactOptions {
  /** Keep the built-in rules (auth headers, key parameters, secret patterns). Default true. */
  defaults?: boolean
  /** More header names to redact (case-insensitive). */
  headers?: string[]
  /** More query parameter names to redact. */
  queryParams?: string[]
  /**
   * More JSON member names whose string value is replaced wherever it occurs, compared without
   * case, `_` and `-` (`apiKey` also matches `api_key`). The built-in ones: `password`, `api_key`,
   * `token`, `secret`, `client_secret`, `access_token`, `refresh_token` and more (docs/redaction.md).
   */
  fields?: string[]
  /** JSON paths in request and response bodies to redact (`$.user.email`, `items[*].token`). */
  paths?: string[]
  /** More patterns to replace wherever they occur in bodies and stream events. */
  patterns?: RegExp[]
  /**
   * Last word on every value: return a replacement string, or undefined to keep
   * what the rules decided. Runs after the rules.
   */
  policy?: (context: RedactContext) => string | undefined
}
