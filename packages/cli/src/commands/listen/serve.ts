/**
 * The background listener (`replaykit listen __serve`, started detached by
 * `listen start`): it claims the PID file, runs the gateway, writes its state
 * once it answers, and on SIGTERM finishes the artifact and leaves a summary
 * for `listen stop` to print.
 */
import { appendFileSync, closeSync, openSync, rmSync, writeSync } from 'node:fs'
import { redactPrinted } from '@replaykit/core'
import type { GatewayOptions } from '@replaykit/core/gateway'
import { errorRecord } from './error-record.js'
import { clearListener, ensureStateDir, errorFile, type ListenState, type StateFiles, writeJson } from './state.js'

/** Run the listener until a signal stops it; resolves with the process's exit code. */
export async function serve(options: GatewayOptions, files: StateFiles): Promise<number> {
  ensureStateDir(files)
  if (!claimPid(files)) {
    writeJson(errorFile(files, process.pid), {
      pid: process.pid,
      code: 'RPK_USAGE',
      message: 'Failed to start the listener: another listener claimed the state folder at the same time.',
      hint: 'run `replaykit listen status` to see it, or `replaykit listen stop` first.',
      file: files.dir,
      lostRace: true,
    })
    return 2
  }
  const log = (line: string): void => {
    try {
      appendFileSync(files.log, `${new Date().toISOString()} ${redactPrinted(line)}\n`)
    } catch {
      // A log that cannot be written never stops the listener.
    }
  }
  let gateway: Awaited<ReturnType<typeof import('@replaykit/core/gateway').startGateway>>
  try {
    const { startGateway } = await import('@replaykit/core/gateway')
    gateway = await startGateway({ ...options, log })
  } catch (error) {
    writeJson(errorFile(files, process.pid), errorRecord(error, process.pid))
    rmSync(files.pid, { force: true })
    return 2
  }
  const status = gateway.status()
  const state: ListenState = {
    pid: process.pid,
    url: gateway.url,
    port: gateway.port,
    startedAt: status.startedAt,
    options,
  }
  writeJson(files.state, state)
  log(`listening on ${gateway.url} (${status.mode})`)
  return new Promise<number>((resolve) => {
    let stopping = false
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) return
      stopping = true
      log(`stopping on ${signal}`)
      gateway
        .close()
        .then((summary) => {
          writeJson(files.summary, { ...summary, stoppedAt: new Date().toISOString() })
          resolve(0)
        })
        .catch((error: unknown) => {
          writeJson(files.summary, {
            ...gateway.status(),
            stoppedAt: new Date().toISOString(),
            error: errorRecord(error, process.pid),
          })
          resolve(1)
        })
        .finally(() => clearListener(files))
    }
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => stop(signal))
  })
}

/** Create the PID file exclusively: of two listeners started at once, one wins. */
function claimPid(files: StateFiles): boolean {
  let fd: number
  try {
    fd = openSync(files.pid, 'wx')
  } catch {
    return false
  }
  writeSync(fd, `${process.pid}\n`)
  closeSync(fd)
  return true
}
