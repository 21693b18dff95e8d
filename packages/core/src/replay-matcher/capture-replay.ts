/**
 * `capture(fn, options)` for test runners: plan the capture against the test
 * file's recordings, run `fn` through the engine, and return the run object
 * `toMatchReplay` judges. The integrations only say which file and test.
 */
import { runCapture } from '../engine/capture.js'
import type { CaptureOptions, MatchOptions, Mode, Pacing } from '../engine/types.js'
import type { RedactOptions } from '../redact/types.js'
import { planCapture } from '../store/capture-plan.js'
import type { ReplayFile } from '../store/replay-file.js'
import { legacyRunName, runName } from '../store/run-key.js'
import { checkReplayCaptureOptions } from './config.js'
import { createReplayRun, type ReplayRun } from './replay-run.js'
import type { SlowdownGate } from './types.js'

/** Options of `capture(fn, options)`, and the defaults a plugin or preset sets for all captures. */
export interface ReplayCaptureOptions {
  /** How the network is treated (default `strict`). See SPEC section 3. */
  mode?: Mode
  /** Name the run is stored under (default: the full test name). */
  name?: string
  /** JSON paths in request bodies left out of matching and comparing (fields that change every run). */
  ignorePaths?: string[]
  /**
   * JSON paths into responses left out of a live-compare comparison (beside each provider's
   * volatile fields): `$.usage`, `$.choices[*].logprobs`.
   */
  ignoreResponsePaths?: string[]
  /** Slowdown gate checked by `toMatchReplay` (off unless set). */
  slowdown?: SlowdownGate | false
  /** Request matching: headers that count, or a custom key. */
  match?: MatchOptions
  /** Redaction rules added to the defaults. */
  redact?: RedactOptions
  /** Replay streams instantly (default) or with the recorded pacing. */
  pacing?: Pacing
  /** Record and replay time and random values (default true). */
  determinism?: boolean
}

export interface CaptureReplayInput {
  file: ReplayFile
  /**
   * The test's name path (describe blocks, then the test): the default run name
   * (`runName`, escaped so that different paths never share a key).
   */
  testPath?: readonly string[]
  /** Full test name, used as the run name as it is when `testPath` is not given. */
  testName?: string
  /** Identifies the test (its task or entry): other tests with the same name continue its counter. */
  test?: unknown
  /** Identifies this attempt of the test (a retry counts its runs again). */
  attempt?: unknown
  /** Per-capture options. */
  options?: ReplayCaptureOptions
  /** Config-level defaults (plugin or preset options). */
  defaults?: ReplayCaptureOptions
}

/** Run `fn` in a capture planned for this test and return the run for `toMatchReplay`. */
export async function captureReplay<T>(fn: () => T | Promise<T>, input: CaptureReplayInput): Promise<ReplayRun<T>> {
  // Before the plan or any request: a mistyped option must fail, not fall back to a default.
  checkReplayCaptureOptions(input.options)
  const options = { ...input.defaults, ...input.options }
  const ignorePaths = unique([
    ...(input.defaults?.ignorePaths ?? []),
    ...(input.defaults?.match?.ignorePaths ?? []),
    ...(input.options?.ignorePaths ?? []),
    ...(input.options?.match?.ignorePaths ?? []),
  ])
  const ignoreResponsePaths = unique([
    ...(input.defaults?.ignoreResponsePaths ?? []),
    ...(input.options?.ignoreResponsePaths ?? []),
  ])
  const path = options.name !== undefined ? [options.name] : input.testPath
  const duplicates = input.file.duplicateNames().length
  const plan = planCapture(input.file, {
    name: path ? runName(path) : (input.testName ?? ''),
    ...(path ? { legacyName: legacyRunName(path) } : {}),
    test: input.test,
    attempt: input.attempt,
    mode: options.mode ?? 'strict',
  })
  if (input.file.duplicateNames().length > duplicates) console.warn(duplicateWarning(plan.name, plan.key, input))
  const capture: CaptureOptions = {
    mode: plan.mode,
    name: plan.name,
    index: plan.index,
    match: { ...options.match, ignorePaths },
  }
  if (plan.recording) capture.recording = plan.recording
  if (options.redact) capture.redact = options.redact
  if (options.pacing) capture.pacing = options.pacing
  if (options.determinism !== undefined) capture.determinism = options.determinism
  const result = await runCapture(fn, capture)
  const record = { file: input.file, plan, result, ignorePaths, ignoreResponsePaths }
  return createReplayRun(options.slowdown === undefined ? record : { ...record, slowdown: options.slowdown })
}

/** Once per run name and test file: another test captured under this name before. */
function duplicateWarning(name: string, key: string, input: CaptureReplayInput): string {
  return `[ReplayKit] ${input.file.testFile}: another test already captured under "${name}", so this run is stored as "${key}" (numbered on, like Vitest's snapshots). Give the tests different names (or pass capture(fn, { name })): if their order changes, their recordings swap.`
}

function unique(values: string[]): string[] {
  return [...new Set(values)]
}
