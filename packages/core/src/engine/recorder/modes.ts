/**
 * What each mode means, as strategy objects in one table: every part of
 * ReplayKit that acts on a mode (the recorder, the capture, late requests,
 * the assertion, the CLI's replay) asks its strategy here and never compares
 * mode names. nock's `lib/back.js` is the model: one line of comment a mode.
 *
 * @example
 * if (strategyOf(context.mode).onMiss === 'refuse') return refuse(request)
 */
import type { Mode } from '../types.js'

export interface ModeStrategy {
  /** Requests are answered from the recording when one matches. */
  readonly replays: boolean
  /** What becomes of a request the recording does not answer (and of every request when nothing replays). */
  readonly onMiss: 'live' | 'refuse'
  /** A request that went live is reported: the recording was meant to answer it. */
  readonly reportsLive: boolean
  /** Recorded exchanges the code did not request are reported. */
  readonly reportsUnused: boolean
  /** The recording is read (to replay from, or to compare with). */
  readonly readsRecording: boolean
  /** Time and random values are handed back from the recording. */
  readonly replaysDraws: boolean
  /** Requests made after the capture returned are refused: its run can take no new live step. */
  readonly refusesLate: boolean
  /** The run is what gets stored (the recording is made, not judged). */
  readonly records: boolean
  /** How the assertion judges the run: stored, step by step, on its outcome, or step by step against live. */
  readonly judges: 'store' | 'steps' | 'outcome' | 'live'
  /** Any difference from the recording fails `replaykit replay` (exit 1). */
  readonly gated: boolean
}

export const MODE_STRATEGIES: Readonly<Record<Mode, ModeStrategy>> = {
  // record: everything goes live and every exchange is stored; nothing is judged.
  record: {
    replays: false,
    onMiss: 'live',
    reportsLive: false,
    reportsUnused: false,
    readsRecording: false,
    replaysDraws: false,
    refusesLate: false,
    records: true,
    judges: 'store',
    gated: false,
  },
  // strict (default): answered from the recording only; a miss is refused, never sent, and reported.
  strict: {
    replays: true,
    onMiss: 'refuse',
    reportsLive: false,
    reportsUnused: true,
    readsRecording: true,
    replaysDraws: true,
    refusesLate: true,
    records: false,
    judges: 'steps',
    gated: true,
  },
  // hybrid: recorded requests replayed, new or changed ones sent live and reported; judged on the outcome.
  hybrid: {
    replays: true,
    onMiss: 'live',
    reportsLive: true,
    reportsUnused: false,
    readsRecording: true,
    replaysDraws: true,
    refusesLate: true,
    records: false,
    judges: 'outcome',
    gated: false,
  },
  // live-compare: everything goes live with the recorded time/random values; compared with the recording step by step.
  'live-compare': {
    replays: false,
    onMiss: 'live',
    reportsLive: false,
    reportsUnused: false,
    readsRecording: true,
    replaysDraws: true,
    refusesLate: false,
    records: false,
    judges: 'live',
    gated: true,
  },
}

/** The strategy of a mode. */
export function strategyOf(mode: Mode): ModeStrategy {
  return MODE_STRATEGIES[mode]
}
