#!/usr/bin/env node
// The `replaykit` command. All logic is in src/main.ts; this shim only starts it,
// and tells it where the capture preload for `record` and `replay` is, and where
// it is itself (`listen start` runs it again as the background listener).
import { fileURLToPath } from 'node:url'
import { run } from '../dist/esm/main.js'

run({
  preload: fileURLToPath(new URL('../dist/esm/preload.js', import.meta.url)),
  bin: fileURLToPath(import.meta.url),
})
