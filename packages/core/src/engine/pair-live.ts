/**
 * live-compare: which recorded exchange each live exchange is compared with.
 *
 * Every request of a live-compare capture goes to the network, so none is
 * "answered" from the recording; without a pairing each live exchange got a
 * correlation id numbered after the recording's (`x1` became `x8`) and the run
 * could never equal its recording. Paired exchanges take the recorded position
 * and correlation id (build-run.ts), as replayed ones do in strict mode.
 *
 * Pairing, in two passes over the live exchanges in arrival order:
 * 1. the same request (the capture's match key): concurrent identical requests
 *    pair first come, first served, like a replay;
 * 2. what is left, by method and URL in order: a request whose body changed
 *    (a new prompt, or the live tool call id a provider handed out in the turn
 *    before) is still compared with the recorded request at its place, so the
 *    report shows what changed instead of one extra and one missing exchange.
 * Anything still unpaired is extra (live) or missing (recorded).
 */
import type { HttpRequestData } from '../artifact/types.js'
import type { RecordedExchange } from './recording-index.js'

/** What pairing needs of a live exchange. */
export interface PairableExchange {
  request: HttpRequestData
}

/**
 * The recorded exchange each live one is paired with. Pure: the recorded
 * exchanges' `used` flags are left alone, so the run can be built again
 * (late requests, late.ts) with the same result.
 *
 * @example
 * const pairs = pairLiveExchanges(context.exchanges, index.exchanges, context.keyOf)
 * pairs.get(context.exchanges[0])?.correlationId // 'x1'
 */
export function pairLiveExchanges<E extends PairableExchange>(
  live: readonly E[],
  recorded: readonly RecordedExchange[],
  keyOf: (request: HttpRequestData) => string,
): Map<E, RecordedExchange> {
  const pairs = new Map<E, RecordedExchange>()
  const taken = new Set<RecordedExchange>()
  const byKey = new Map<string, RecordedExchange[]>()
  for (const exchange of recorded) {
    const key = keyOf(exchange.request)
    const queue = byKey.get(key)
    if (queue) queue.push(exchange)
    else byKey.set(key, [exchange])
  }
  for (const exchange of live) {
    const match = byKey.get(keyOf(exchange.request))?.find((candidate) => !taken.has(candidate))
    if (!match) continue
    pairs.set(exchange, match)
    taken.add(match)
  }
  for (const exchange of live) {
    if (pairs.has(exchange)) continue
    const { method, url } = exchange.request
    const match = recorded.find(
      (candidate) => !taken.has(candidate) && candidate.request.method === method && candidate.request.url === url,
    )
    if (!match) continue
    pairs.set(exchange, match)
    taken.add(match)
  }
  return pairs
}
