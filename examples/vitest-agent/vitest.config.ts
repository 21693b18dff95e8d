import replaykit from '@replaykit/vitest'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  // Strict replay: no request leaves the process; a run whose own time grew past 4× and by more
  // than a second fails too (a floor that a busy, shared CI machine does not reach by itself).
  plugins: [replaykit({ mode: 'strict', slowdown: { maxRatio: 4, minMs: 1000 } })],
})
