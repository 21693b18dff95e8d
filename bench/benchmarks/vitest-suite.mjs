/**
 * Benchmark 5: Vitest suites of 100 and 1,000 tests (the real `openai` SDK,
 * every fourth answer streamed) replaying from `.rpk` files vs the same tests
 * on hand-written MSW handlers, on aimock, and live to a loopback server:
 * wall time of the real `vitest run` and Vitest's own duration.
 * See lib/suite-bench.mjs.
 */
import { runSuiteBench } from '../lib/suite-bench.mjs'

/** @param {import('../run.mjs').BenchContext} ctx */
export const run = (ctx) => runSuiteBench(ctx, 'vitest', 5)
