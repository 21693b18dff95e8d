/**
 * The recorder: for each request of a capture, the verdict. `replay` it from
 * the recording, send it `live` (and record what comes back), or `refuse` it
 * (the transport answers with the provider-shaped refusal or a network
 * error). Decided by the capture's mode strategy (modes.ts) and its recording.
 *
 * @note Pure policy: no MSW, no file system, no process-wide state. The
 * transport (transport/port.ts) brings the request and carries the verdict
 * out, whichever transport it is (MSW in the test process, the gateway).
 */
import type { HttpRequestData } from '../../artifact/types.js'
import type { RecordedExchange, RecordingIndex } from '../recording-index.js'
import type { Mode, ReplayProblem } from '../types.js'
import { strategyOf } from './modes.js'

export type Verdict =
  /** Answer with the recorded exchange (its response, or its recorded network error). */
  | { type: 'replay'; matched: RecordedExchange }
  /** Let the request go to the network and record its answer; `problem` when the mode reports it. */
  | { type: 'live'; problem?: ReplayProblem }
  /** Never send it: the transport answers with `message` (refusal.ts's provider-shaped body). */
  | { type: 'refuse'; message: string; problem: ReplayProblem; nearest?: RecordedExchange }

/** What the recorder reads of a capture. */
export interface RecorderCapture {
  mode: Mode
  /** The recording's exchanges by match key, when the mode reads one. */
  index?: RecordingIndex
  /** The re-record command a refusal names. */
  rerecord: string
}

/**
 * The verdict for a request of a running capture, in arrival order: a replay
 * takes its recorded occurrence, so concurrent identical requests are served
 * first come, first served.
 */
export function decide(capture: RecorderCapture, request: HttpRequestData, key: string, seq: number): Verdict {
  const strategy = strategyOf(capture.mode)
  const matched = strategy.replays ? capture.index?.take(key) : undefined
  if (matched) return { type: 'replay', matched }
  if (strategy.onMiss === 'refuse') return refusal(capture, request, seq)
  if (!strategy.reportsLive) return { type: 'live' }
  return {
    type: 'live',
    problem: {
      type: 'live-request',
      seq,
      method: request.method,
      url: request.url,
      message: `no recorded response matched ${describe(request)}: sent it live (${capture.mode} mode)`,
    },
  }
}

/** A request made after its capture returned: refused when the mode refuses late requests, else live. */
export function decideLate(mode: Mode): 'refuse' | 'live' {
  return strategyOf(mode).refusesLate ? 'refuse' : 'live'
}

function refusal(capture: RecorderCapture, request: HttpRequestData, seq: number): Verdict {
  const nearest = capture.index?.nearest(request.method, request.url)
  if (nearest) nearest.used = true
  const message = `[ReplayKit] ${capture.mode} replay: no recorded response matches ${describe(request)}${
    nearest ? ' (it differs from the recorded request at the same position; see the divergence report)' : ''
  }. The request was not sent. Re-record with \`${capture.rerecord}\` if the change is intended.`
  const problem: ReplayProblem = {
    type: 'unmatched-request',
    seq,
    method: request.method,
    url: request.url,
    message,
  }
  return nearest ? { type: 'refuse', message, problem, nearest } : { type: 'refuse', message, problem }
}

function describe(request: HttpRequestData): string {
  return `${request.method} ${request.url}`
}
