import replaykit from '@replaykit/vitest'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  // Strict replay: no request leaves the process; a slowdown past 4× (and 250 ms) fails too.
  plugins: [replaykit({ mode: 'strict', slowdown: { maxRatio: 4, minMs: 250 } })],
})
