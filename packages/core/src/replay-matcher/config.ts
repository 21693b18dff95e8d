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
import { MODES, type Mode, type Pacing } from '../engine/types.js'
import { ReplayKitError } from '../errors.js'
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
}

/** The JSON form sent to workers. */
export interface SerializedConfig {
  mode?: Mode
  slowdown?: SlowdownGate
  ignorePaths?: string[]
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
}

const REPORTS: readonly ReportFormat[] = ['summary', 'quiet', 'json']
const PACINGS: readonly Pacing[] = ['instant', 'recorded']
const KNOWN = new Set([
  'mode',
  'slowdown',
  'ignorePaths',
  'matchHeaders',
  'redact',
  'pacing',
  'determinism',
  'report',
  'reportFile',
])

/** Default file of the json report. */
export const DEFAULT_REPORT_FILE = 'replaykit-report.json'

/** Check options and turn them into JSON. Throws RPK_BAD_CONFIG naming `where` (e.g. `replaykit() options`). */
export function serializeConfig(options: ReplayKitOptions | undefined, where: string): SerializedConfig {
  const o = options ?? {}
  if (typeof o !== 'object' || o === null || Array.isArray(o))
    bad(where, 'options must be an object', '{ mode: "strict" }')
  for (const key of Object.keys(o)) {
    if (!KNOWN.has(key)) bad(where, `unknown option ${JSON.stringify(key)}`, `use one of: ${[...KNOWN].join(', ')}`)
  }
  if (o.mode !== undefined && !MODES.includes(o.mode)) {
    bad(where, `mode is ${JSON.stringify(o.mode)}`, `use one of: ${MODES.join(', ')}`)
  }
  if (o.report !== undefined && !REPORTS.includes(o.report)) {
    bad(where, `report is ${JSON.stringify(o.report)}`, `use one of: ${REPORTS.join(', ')}`)
  }
  if (o.pacing !== undefined && !PACINGS.includes(o.pacing)) {
    bad(where, `pacing is ${JSON.stringify(o.pacing)}`, `use one of: ${PACINGS.join(', ')}`)
  }
  if (o.slowdown !== undefined) validateGate(o.slowdown, where)
  for (const key of ['ignorePaths', 'matchHeaders'] as const) {
    const list = o[key]
    if (list !== undefined && (!Array.isArray(list) || list.some((item) => typeof item !== 'string'))) {
      bad(where, `${key} must be a list of strings`, `e.g. ${key}: ['$.metadata.requestId']`)
    }
  }
  const out: SerializedConfig = { report: o.report ?? 'summary', reportFile: o.reportFile ?? DEFAULT_REPORT_FILE }
  if (o.mode) out.mode = o.mode
  if (o.slowdown) out.slowdown = { ...o.slowdown }
  if (o.ignorePaths) out.ignorePaths = [...o.ignorePaths]
  if (o.matchHeaders) out.matchHeaders = o.matchHeaders.map((h) => h.toLowerCase())
  if (o.pacing) out.pacing = o.pacing
  if (o.determinism !== undefined) out.determinism = o.determinism
  if (o.redact) {
    const { patterns, ...rest } = o.redact
    if ('policy' in o.redact) {
      bad(
        where,
        'redact.policy is a function, which cannot reach the test workers',
        'pass it per capture: capture(fn, { redact: { policy } })',
      )
    }
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

function bad(where: string, what: string, fix: string): never {
  throw new ReplayKitError('RPK_BAD_CONFIG', `Failed to read the ReplayKit options: ${what}.`, {
    file: where,
    hint: fix,
  })
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
  if (!MODES.includes(mode as Mode))
    bad(MODE_ENV, `the environment sets mode ${JSON.stringify(mode)}`, `use one of: ${MODES.join(', ')}`)
  return { ...config, mode: mode as Mode }
}
