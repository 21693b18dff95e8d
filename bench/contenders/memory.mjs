/**
 * Worker (one per measurement, started with --expose-gc): how much one large
 * response raises the peak RSS of the process, with ReplayKit recording it or
 * with a plain fetch. The client reads the body fully in both cases.
 */
import { runCapture } from '@replaykit/core'

export async function setup({ origin, bytes, kind, recording }) {
  const url = `${origin}/payload?kind=${kind}&bytes=${bytes}`
  const read = async (target) => {
    const response = await fetch(target)
    return (await response.arrayBuffer()).byteLength
  }
  const once = (target) => (recording ? runCapture(() => read(target), { mode: 'record' }) : read(target))
  // Warm up the code paths (modules, the interceptor, undici) on a small body, so only the large body is measured.
  await once(`${origin}/payload?kind=${kind}&bytes=65536`)
  return {
    async measure() {
      globalThis.gc?.()
      const baseline = process.memoryUsage.rss()
      const peakBefore = process.resourceUsage().maxRSS * 1024
      let stored
      const result = await once(url)
      const peak = process.resourceUsage().maxRSS * 1024
      const received = recording ? result.value : result
      if (received !== bytes) throw new Error(`read ${received} bytes, expected ${bytes}`)
      if (recording) {
        const response = result.run.steps.find((step) => step.kind === 'http.response')
        if (!response?.response.body) throw new Error('the large response was not recorded')
        stored = Object.keys(response.response.body)[0]
      }
      return { baseline, peakBefore, peak, raise: peak - Math.max(baseline, peakBefore), stored }
    },
  }
}
