/**
 * The options of the Vitest plugin and the Jest preset: checked once in the
 * main process, then sent to the test workers as plain JSON (Vitest `provide`,
 * Jest `testEnvironmentOptions`), where they become the defaults of every
 * `capture`.
 *
 * @note Functions (a redaction `policy`, a `match.key`) cannot cross to the
 * workers: they belong in `capture(fn, options)`. Regular expressions can, as
 * `{ source, flags }`.
 */
import { MATCH_SHAPE, PACINGS, REDACT_SHAPE } from '../engine/capture-options.js'
import {
  badValue,
  type Check,
  checkOptions,
  isBoolean,
  isObject,
  isPatternList,
  isString,
  isStringList,
  oneOf,
  orFalse,
  type Shape,
} from '../engine/check-options.js'
import { MODES, type Mode, type Pacing } from '../engine/types.js'
import { compileJsonPath } from '../redact/json-path-select.js'
import type { ReportFormat } from '../replay-report/types.js'
import type { ReplayCaptureOptions } from './capture-replay.js'
import { validateGate } from './slowdown.js'
import type { SlowdownGate } from './types.js'

/** Options of `replaykit(options)` (Vitest) and `testEnvironmentOptions.replaykit` (Jest). */
export interface ReplayKitOptions {
  /** Mode of every capture unless the test says otherwise (default `strict`). */
  mode?: Mode
  /** Slowdown gate for every assertion (off unless set). */
  slowdown?: SlowdownGate
  /** JSON paths in request bodies left out of matching and comparing, for every capture. */
  ignorePaths?: string[]
  /**
   * JSON paths into responses left out of a live-compare comparison, for every capture (beside
   * each provider's volatile fields: ids, creation times, fingerprints).
   */
  ignoreResponsePaths?: string[]
  /** Request headers (lower-case) that take part in matching. None do by default. */
  matchHeaders?: string[]
  /** Redaction added to the defaults. Patterns may be RegExps or their source strings. */
  redact?: {
    defaults?: boolean
    headers?: string[]
    queryParams?: string[]
    fields?: string[]
    paths?: string[]
    patterns?: Array<RegExp | string>
  }
  /** Replay streams instantly (default) or with the recorded pacing. */
  pacing?: Pacing
  /** Record and replay time and random values (default true). */
  determinism?: boolean
  /** How the replay summary is shown after the run (default `summary`). */
  report?: ReportFormat
  /** Where the `json` report is written, relative to the project root (default `replaykit-report.json`). */
  reportFile?: string
  /**
   * Refuse every connection of the test process (and of the Node child processes it starts) to a
   * host not in `allowedHosts`, outside captures too. The recommended CI setting. Default false.
   */
  blockNetwork?: boolean
  /** Hosts reachable with `blockNetwork` (`*.internal` matches subdomains). Loopback always is. */
  allowedHosts?: string[]
  /**
   * Plugins by module path (relative to the project root, absolute, or a package name), loaded
   * inside each worker before its first capture. Their hooks run in this order. See docs/plugins.md.
   */
  plugins?: string[]
}

/** The JSON form sent to workers. */
export interface SerializedConfig {
  mode?: Mode
  slowdown?: SlowdownGate
  ignorePaths?: string[]
  ignoreResponsePaths?: string[]
  matchHeaders?: string[]
  redact?: {
    defaults?: boolean
    headers?: string[]
    queryParams?: string[]
    fields?: string[]
    paths?: string[]
    patterns?: Array<{ source: string; flags: string }>
  }
  pacing?: Pacing
  determinism?: boolean
  report: ReportFormat
  reportFile: string
  blockNetwork?: boolean
  allowedHosts?: string[]
  plugins?: string[]
}

const REPORTS: readonly ReportFormat[] = ['summary', 'quiet', 'json']

/**
 * A list of JSON paths, each parsed now: a mistyped path (`$.usage[`) is an RPK_BAD_CONFIG
 * naming the option where it is given, not a comparison that silently ignores nothing.
 */
const isJsonPathList: Check = (value, name, where) => {
  const list = isStringList(value, name, where)
  if (list) return list
  for (const path of value as string[]) compileJsonPath(path, `${where}: ${name}`)
  return undefined
}

const isGate: Check = (value) =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? undefined
    : 'an object like { maxRatio: 2, minMs: 20 }'

/** The plugin and preset options (functions cannot cross to the workers: no `policy`, no `match.key`). */
const CONFIG_SHAPE: Shape = {
  mode: oneOf(MODES),
  slowdown: isGate,
  ignorePaths: isStringList,
  ignoreResponsePaths: isJsonPathList,
  matchHeaders: isStringList,
  redact: isObject({
    defaults: isBoolean,
    headers: isStringList,
    queryParams: isStringList,
    paths: isStringList,
    patterns: isPatternList,
    policy: () =>
      'no function here (it cannot reach the test workers): pass it per capture, capture(fn, { redact: { policy } })',
  }),
  pacing: oneOf(PACINGS),
  determinism: isBoolean,
  report: oneOf(REPORTS),
  reportFile: isString,
  blockNetwork: isBoolean,
  allowedHosts: isStringList,
  plugins: isStringList,
}

/** `capture(fn, options)` in a test. */
const CAPTURE_OPTIONS_SHAPE: Shape = {
  mode: oneOf(MODES),
  name: isString,
  ignorePaths: isStringList,
  ignoreResponsePaths: isJsonPathList,
  slowdown: orFalse(isGate),
  match: isObject(MATCH_SHAPE),
  redact: isObject(REDACT_SHAPE),
  pacing: oneOf(PACINGS),
  determinism: isBoolean,
}

/** The reporters' own options (`['@replaykit/jest/reporter', { report: 'json' }]`). */
const REPORTER_SHAPE: Shape = { report: oneOf(REPORTS), reportFile: isString }

/** Throws RPK_BAD_CONFIG for an unknown key or a wrong value in a reporter's options. */
export function checkReporterOptions(options: unknown, where: string): void {
  checkOptions(options, REPORTER_SHAPE, where)
}

/** `expect(run).toMatchReplay(options)`. */
const ASSERTION_SHAPE: Shape = {
  mode: oneOf(MODES),
  slowdown: orFalse(isGate),
  ignorePaths: isStringList,
  ignoreResponsePaths: isJsonPathList,
  name: isString,
}

/** Throws RPK_BAD_CONFIG for an unknown key or a wrong value in `toMatchReplay(options)`. */
export function checkAssertionOptions(options: unknown, where = 'toMatchReplay() options'): void {
  checkOptions(options, ASSERTION_SHAPE, where)
}

/** Throws RPK_BAD_CONFIG for an unknown key or a wrong value in `capture(fn, options)`: before `fn` runs. */
export function checkReplayCaptureOptions(options: unknown, where = 'capture() options'): void {
  checkOptions(options, CAPTURE_OPTIONS_SHAPE, where)
  const slowdown = (options as { slowdown?: unknown } | undefined)?.slowdown
  if (slowdown) validateGate(slowdown as SlowdownGate, where)
}

/** Default file of the json report. */
export const DEFAULT_REPORT_FILE = 'replaykit-report.json'

/** Check options and turn them into JSON. Throws RPK_BAD_CONFIG naming `where` (e.g. `replaykit() options`). */
export function serializeConfig(options: ReplayKitOptions | undefined, where: string): SerializedConfig {
  const o = options ?? {}
  checkOptions(o, CONFIG_SHAPE, where)
  if (o.slowdown !== undefined) validateGate(o.slowdown, where)
  const out: SerializedConfig = { report: o.report ?? 'summary', reportFile: o.reportFile ?? DEFAULT_REPORT_FILE }
  if (o.mode) out.mode = o.mode
  if (o.slowdown) out.slowdown = { ...o.slowdown }
  if (o.ignorePaths) out.ignorePaths = [...o.ignorePaths]
  if (o.ignoreResponsePaths) out.ignoreResponsePaths = [...o.ignoreResponsePaths]
  if (o.matchHeaders) out.matchHeaders = o.matchHeaders.map((h) => h.toLowerCase())
  if (o.pacing) out.pacing = o.pacing
  if (o.determinism !== undefined) out.determinism = o.determinism
  if (o.blockNetwork !== undefined) out.blockNetwork = o.blockNetwork
  if (o.allowedHosts) out.allowedHosts = [...o.allowedHosts]
  if (o.plugins) out.plugins = [...o.plugins]
  if (o.redact) {
    const { patterns, ...rest } = o.redact
    out.redact = { ...rest }
    if (patterns) {
      out.redact.patterns = patterns.map((p) =>
        p instanceof RegExp ? { source: p.source, flags: p.flags } : { source: String(p), flags: 'g' },
      )
    }
  }
  return out
}

/** The capture defaults a worker uses, from the JSON it received. */
export function captureDefaults(config: SerializedConfig): ReplayCaptureOptions {
  const defaults: ReplayCaptureOptions = {}
  if (config.mode) defaults.mode = config.mode
  if (config.slowdown) defaults.slowdown = config.slowdown
  if (config.ignorePaths) defaults.ignorePaths = config.ignorePaths
  if (config.ignoreResponsePaths) defaults.ignoreResponsePaths = config.ignoreResponsePaths
  if (config.matchHeaders) defaults.match = { headers: config.matchHeaders }
  if (config.pacing) defaults.pacing = config.pacing
  if (config.determinism !== undefined) defaults.determinism = config.determinism
  if (config.redact) {
    const { patterns, ...rest } = config.redact
    defaults.redact = { ...rest }
    if (patterns) defaults.redact.patterns = patterns.map((p) => new RegExp(p.source, p.flags))
  }
  return defaults
}

/** The environment variable `replaykit test --mode <mode>` sets: the mode of every capture in that run. */
export const MODE_ENV = 'REPLAYKIT_MODE'

/**
 * The config with `REPLAYKIT_MODE` applied (it wins over the config file's mode).
 * Throws RPK_BAD_CONFIG for an unknown mode.
 */
export function withEnvMode(
  config: SerializedConfig,
  env: Record<string, string | undefined> = process.env,
): SerializedConfig {
  const mode = env[MODE_ENV]
  if (mode === undefined || mode === '') return config
  const allowed = oneOf(MODES)(mode, MODE_ENV, 'the environment')
  if (allowed) throw badValue(`the environment variable ${MODE_ENV}`, MODE_ENV, mode, allowed)
  return { ...config, mode: mode as Mode }
}
