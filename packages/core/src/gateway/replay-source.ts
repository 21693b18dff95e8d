/**
 * Replay: the recording the gateway answers from. Each client session is
 * answered from one recorded run, in the run's recorded order: a new session
 * takes the first run not yet taken whose next exchanges include its first
 * request (session ids change between runs of an agent, so they are not
 * matched by name). Concurrent identical requests take recorded occurrences
 * first come, first served (RecordingIndex).
 */

import { formatJsonPath } from '../artifact/json-path.js'
import type { HttpRequestData, JsonValue } from '../artifact/types.js'
import { firstDifference, valueAt } from '../diff/first-difference.js'
import { type RecordedExchange, RecordingIndex } from '../engine/recording-index.js'
import { UnreadableError } from '../errors/classes.js'
import { inlineBlobs } from '../store/blobs.js'
import { JournalStore } from '../store/journal-store.js'
import { apiPathOf, gatewayKey, matchedBody } from './match-key.js'

interface RecordedRun {
  key: string
  index: RecordingIndex
  taken: boolean
}

export type ReplayLookup = { matched: RecordedExchange; run: string } | { miss: string }

export class ReplaySource {
  private readonly runs: RecordedRun[] = []
  private readonly bySession = new Map<string, RecordedRun>()

  constructor(readonly path: string) {
    // The journal counts: a recording whose listener was killed replays every completed exchange.
    const file = new JournalStore(path, { onWarning: () => {} }).read()
    if (!file) {
      throw new UnreadableError(`Failed to load the recording to replay: ${path} does not exist.`, {
        file: path,
        hint: 'record it first (`replaykit listen start --out FILE.rpk`), or name the right file with --replay.',
      })
    }
    for (const [key, run] of Object.entries(file.runs)) {
      this.runs.push({ key, index: new RecordingIndex(inlineBlobs(run, file.blobs), gatewayKey), taken: false })
    }
  }

  /** The recorded answer for this session's request, or why there is none (naming the diverging field). */
  take(session: string, request: HttpRequestData): ReplayLookup {
    const key = gatewayKey(request)
    const own = this.bySession.get(session)
    if (own) {
      const matched = own.index.take(key)
      return matched ? { matched, run: own.key } : { miss: this.missMessage(request, own) }
    }
    for (const run of this.runs) {
      if (run.taken) continue
      const matched = run.index.take(key)
      if (!matched) continue
      run.taken = true
      this.bySession.set(session, run)
      return { matched, run: run.key }
    }
    return { miss: this.missMessage(request, undefined) }
  }

  private missMessage(request: HttpRequestData, run: RecordedRun | undefined): string {
    const path = apiPathOf(request.url)
    const where = `${request.method} ${path}`
    const candidates = run ? [run] : this.runs.filter((each) => !each.taken)
    let nearest: RecordedExchange | undefined
    for (const each of candidates) {
      nearest = each.index
        .unused()
        .find((e) => e.request.method === request.method && apiPathOf(e.request.url) === path)
      if (nearest) break
    }
    const head = `[ReplayKit gateway] strict replay: no recorded answer in ${this.path} matches ${where}`
    const tail =
      'The request was not sent. Re-record the session (live, with --out), or replay with --mode hybrid to send misses live.'
    if (!nearest) return `${head} (the recording has no unused ${where}). ${tail}`
    const recorded = matchedBody(nearest.request.body)
    const now = matchedBody(request.body)
    const diff = firstDifference(recorded, now)
    if (!diff) return `${head}. ${tail}`
    const field = formatJsonPath(diff)
    return `${head}: it differs from the recorded request at ${field} (recorded ${show(valueAt(recorded, diff))}, now ${show(valueAt(now, diff))}). ${tail}`
  }
}

function show(value: JsonValue | undefined): string {
  if (value === undefined) return 'absent'
  const text = JSON.stringify(value)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}
