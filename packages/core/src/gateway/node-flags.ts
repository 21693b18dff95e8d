/**
 * The Node flags the listener's process runs with: `replaykit listen start`
 * spawns `listen __serve` with them, and benchmark 13's gateway host too, so
 * that the benchmark measures the process users run.
 *
 * `--max-semi-space-size=8` (MB): V8's young generation stays at the 8 MB a
 * semi-space it grows to in the first minutes of a session. Without it V8
 * doubled it to 16 MB about halfway through an hour-long session, a one-off
 * step of 16 MB of RSS (15% of the listener's) that looked like a leak in
 * `listen status` and in benchmark 13; capped, the RSS stays within 2% and the
 * listener's CPU time was the same (docs/performance.md, issue 13, part O).
 */
export const LISTENER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8']
