/**
 * The per-request workload every contender of benchmark 1 runs: `count`
 * distinct questions asked in turn, like the tests of a file. One iteration
 * asks `concurrency` of them at once (1: one request; 20: twenty captures in
 * flight together, as `test.concurrent` does), so a batch's time per iteration
 * divided by `concurrency` is the time per request.
 */
import { questions } from './openai-ask.mjs'

/**
 * @param {{ count: number, concurrency?: number }} config
 * @param {(question: string, index: number) => Promise<unknown>} one asks question `index` (1-based)
 */
export function rotation({ count, concurrency = 1 }, one) {
  const all = questions(count)
  let next = 0
  const take = () => {
    const i = next
    next = (next + 1) % all.length
    return one(all[i], i + 1)
  }
  return async () => {
    if (concurrency === 1) return take()
    await Promise.all(Array.from({ length: concurrency }, take))
  }
}
