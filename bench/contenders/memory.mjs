/**
 * Worker (one per measurement, started with --expose-gc): how much one large
 * response raises the peak RSS of the process, with ReplayKit recording it or
 * with a plain fetch. The client reads the body fully in both cases.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { runCapture } from '@replaykit/core/engine'

/**
 * Peak RSS of this process since the last reset. On Linux the peak is read
 * from /proc (VmHWM) and reset through clear_refs: `resourceUsage().maxRSS`
 * of a forked worker starts at the parent's peak, which hid part of the rise.
 */
function peakRss() {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]
    if (kb) return Number(kb) * 1024
  } catch {}
  return process.resourceUsage().maxRSS * 1024
}

function resetPeakRss() {
  try {
    writeFileSync('/proc/self/clear_refs', '5')
  } catch {}
}

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
      resetPeakRss()
      const baseline = process.memoryUsage.rss()
      const peakBefore = peakRss()
      let stored
      const result = await once(url)
      const peak = peakRss()
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
