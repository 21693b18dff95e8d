/**
 * The shapes of the engine's options, checked at the `capture` call before
 * any request can be made (check-options.ts).
 */
import type { RedactOptions } from '../redact/types.js'
import {
  type Check,
  checkOptions,
  isBoolean,
  isFunction,
  isObject,
  isPositiveInteger,
  isRegExpList,
  isString,
  isStringList,
  oneOf,
  type Shape,
} from './check-options.js'
import { type CaptureOptions, type MatchOptions, MODES } from './types.js'

export const PACINGS: readonly string[] = ['instant', 'recorded']

// @note Each shape names every key of its options type (`satisfies`): an option added to the type
// and not to its shape fails the type check instead of being refused as unknown at run time.
export const MATCH_SHAPE: Shape = {
  ignorePaths: isStringList,
  headers: isStringList,
  key: isFunction,
} satisfies Record<keyof MatchOptions, Check>

export const REDACT_SHAPE: Shape = {
  defaults: isBoolean,
  headers: isStringList,
  queryParams: isStringList,
  paths: isStringList,
  fields: isStringList,
  patterns: isRegExpList,
  policy: isFunction,
} satisfies Record<keyof RedactOptions, Check>

/** `runCapture(fn, options)`. */
export const CAPTURE_SHAPE: Shape = {
  mode: oneOf(MODES),
  recording: (value) =>
    typeof value === 'object' && value !== null && Array.isArray((value as { steps?: unknown }).steps)
      ? undefined
      : 'a recorded run (with steps)',
  name: isString,
  index: isPositiveInteger,
  match: isObject(MATCH_SHAPE),
  redact: isObject(REDACT_SHAPE),
  pacing: oneOf(PACINGS),
  determinism: isBoolean,
  rerecord: isString,
} satisfies Record<keyof CaptureOptions, Check>

/** Throws RPK_BAD_CONFIG for an unknown key or a wrong value in the engine's capture options. */
export function checkCaptureOptions(options: unknown, where = 'runCapture() options'): void {
  checkOptions(options, CAPTURE_SHAPE, where)
}
