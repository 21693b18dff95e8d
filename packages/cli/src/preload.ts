/**
 * Loaded into the program that `replaykit record|replay -- <command>` runs
 * (`NODE_OPTIONS=--import …/preload.js`). It captures the whole process as one
 * run and hands it to the parent CLI through a result file; it prints nothing,
 * so the program's stdout and stderr stay its own.
 *
 * @note The session settings are removed from the environment at once, so
 * processes the program starts in turn run uncaptured instead of overwriting
 * the result.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import type { CaptureResult, Run } from '@replaykit/core'
import { startCaptureSession } from '@replaykit/core/engine'
import { SESSION_ENV, type SessionConfig } from './session-config.js'

const raw = process.env[SESSION_ENV]
if (raw) {
  delete process.env[SESSION_ENV]
  // `--plugin`: bin/preload-plugins.mjs, imported before this file, loaded them already.
  start(JSON.parse(raw) as SessionConfig)
}

function start(config: SessionConfig): void {
  const recording = config.recordingFile ? (JSON.parse(readFileSync(config.recordingFile, 'utf8')) as Run) : undefined
  const session = startCaptureSession({
    mode: config.mode,
    name: config.name,
    index: config.index,
    ...(recording ? { recording } : {}),
    ...(config.rerecord ? { rerecord: config.rerecord } : {}),
  })
  let written = false
  const write = (result: CaptureResult<undefined>): void => {
    written = true
    writeFileSync(config.resultFile, JSON.stringify({ run: result.run, problems: result.problems }))
  }
  // The event loop ran dry: response bodies may still be settling, and async work is allowed here.
  process.once('beforeExit', () => {
    if (!written) void session.finish().then(write)
  })
  // process.exit() or the last handle closing after beforeExit: only synchronous work.
  process.once('exit', () => {
    if (!written) write(session.finishNow())
  })
}
