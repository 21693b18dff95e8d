/**
 * Before `fn` runs: which recording a capture replays and in which mode.
 *
 * The decision has to come first because the mode decides what happens to the
 * network while `fn` runs; `toMatchReplay` later only judges the result.
 */
import type { Run } from '../artifact/types.js'
import { strategyOf } from '../engine/recorder/modes.js'
import type { Mode } from '../engine/types.js'
import type { ReplayFile } from './replay-file.js'
import { runKey } from './run-key.js'

export interface CapturePlanInput {
  /** Run name (`runName` of the test's name path, or of the name the user gave the run). */
  name: string
  /** The name the run had before names were escaped, read when `name` has no recording. */
  legacyName?: string
  /** Identifies the test: other tests with the same name continue its counter. */
  test?: unknown
  /** Identifies the attempt of the test (retries and repeats start counting again). */
  attempt?: unknown
  /** The mode the user configured (plugin, preset or capture options). */
  mode: Mode
}

export interface CapturePlan {
  name: string
  /** 1-based counter of captures with this name in the test. */
  index: number
  /** `"<name> <index>"`: where the run is stored. */
  key: string
  /** The mode the engine runs in: `record` when recording, else the configured one. */
  mode: Mode
  /** The mode the user configured. */
  configuredMode: Mode
  /** The recorded run to replay or compare with. */
  recording?: Run
  /** The key `recording` was read from when it is the pre-escaping one (see run-key). */
  legacyKey?: string
  /** No recording exists and this run may not make one (CI): nothing may go live. */
  missing: boolean
}

/**
 * Plan one capture. Throws the typed load error when the `.rpk` is unreadable
 * and the capture would replay it, and RPK_WRITE_REFUSED when it would record
 * into a file that save could not write (unloadable without `--replace-invalid`,
 * a symlink): before any live call is made.
 *
 * | update | configured mode | recording | engine mode |
 * |---|---|---|---|
 * | `all` | any | any | `record` |
 * | any | `record` | any | `record` |
 * | `changed`/`new` | other | missing | `record` |
 * | `none` | other | missing | `strict`, nothing recorded to replay: no request leaves |
 * | `changed` | other | present | `hybrid`: recorded requests replay, new or changed ones go live |
 * | `new`/`none` | other | present | configured |
 */
export function planCapture(file: ReplayFile, input: CapturePlanInput): CapturePlan {
  const index = file.nextIndex(input.name, input.attempt, input.test)
  const key = runKey(input.name, index)
  const base = { name: input.name, index, key, configuredMode: input.mode }
  // A mode that records (the mode table's `records`) makes the recording rather than reading one.
  if (file.update === 'all' || strategyOf(input.mode).records) return recordPlan(file, base)
  let found: ReturnType<typeof recordingOf>
  try {
    found = recordingOf(file, key, input.legacyName, index)
  } catch (error) {
    // An update run over a file that cannot be loaded records, if it may replace the file (else refuses).
    if (file.update === 'changed') return recordPlan(file, base)
    throw error
  }
  if (found) {
    // @note A `changed` update replays what still matches and sends only the new or changed requests
    // live; toMatchReplay then stores the run if it differs from the recording (see docs/modes.md).
    if (file.update === 'changed') file.assertWritable()
    const mode: Mode = file.update === 'changed' ? 'hybrid' : input.mode
    return { ...base, mode, ...found, missing: false }
  }
  // @note Missing in CI: run strict against nothing, so even a hybrid or live-compare test makes no live call.
  if (file.update === 'none') return { ...base, mode: 'strict', missing: true }
  return recordPlan(file, base)
}

function recordingOf(
  file: ReplayFile,
  key: string,
  legacyName: string | undefined,
  index: number,
): { recording: Run; legacyKey?: string } | undefined {
  const recording = file.recorded(key)
  if (recording) return { recording }
  if (legacyName === undefined) return undefined
  const legacyKey = runKey(legacyName, index)
  if (legacyKey === key) return undefined
  const legacy = file.recorded(legacyKey)
  return legacy ? { recording: legacy, legacyKey } : undefined
}

function recordPlan(file: ReplayFile, base: Omit<CapturePlan, 'mode' | 'missing'>): CapturePlan {
  file.assertWritable()
  return { ...base, mode: 'record', missing: false }
}
