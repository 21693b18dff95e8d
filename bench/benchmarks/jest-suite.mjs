/**
 * Benchmark 9: the same suites under Jest (CommonJS test files, the
 * `@replaykit/jest` preset) vs aimock and a live loopback server. MSW 3 is
 * ESM-only, so Jest's sandbox cannot load a hand-written MSW handler without
 * `--experimental-vm-modules`: no MSW variant here. See lib/suite-bench.mjs.
 */
import { runSuiteBench } from '../lib/suite-bench.mjs'

/** @param {import('../run.mjs').BenchContext} ctx */
export const run = (ctx) => runSuiteBench(ctx, 'jest', 9)
