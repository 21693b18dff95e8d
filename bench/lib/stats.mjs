/**
 * Small statistics and timing helpers for the bench.
 */

/** Median of a list of numbers (mean of the middle two for an even count). */
export function median(values) {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/**
 * Time `fn` `runs` times after `warmup` untimed calls; median ms of one call.
 *
 * @param {() => unknown | Promise<unknown>} fn
 * @param {{ runs: number, warmup?: number, before?: () => unknown }} options `before` runs untimed before each call
 */
export async function timeMedian(fn, options) {
  for (let i = 0; i < (options.warmup ?? 1); i++) {
    await options.before?.()
    await fn()
  }
  const samples = []
  for (let i = 0; i < options.runs; i++) {
    await options.before?.()
    const started = performance.now()
    await fn()
    samples.push(performance.now() - started)
  }
  return { median: median(samples), samples }
}

/** Round to a number of significant decimals for display and JSON. */
export function round(value, decimals = 3) {
  const factor = 10 ** decimals
  return Math.round(value * factor) / factor
}
