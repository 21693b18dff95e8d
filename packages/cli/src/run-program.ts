/**
 * Running a user's program with the capture preload: the program's stdin,
 * stdout, stderr and exit code are its own; the captured run comes back
 * through a temp file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Mode, ReplayProblem, Run } from '@replaykit/core'
import { SESSION_ENV, type SessionConfig } from './session-config.js'
import { commandAfterDashes, spawnCommand } from './spawn-command.js'

export interface ProgramResult {
  /** The program's exit code (128 + signal number when a signal ended it). */
  exitCode: number
  /** The captured run; undefined when the program was not a Node program or died before exit hooks ran. */
  run?: Run
  problems: ReplayProblem[]
}

export async function runProgram(
  command: string[],
  session: {
    mode: Mode
    name: string
    index: number
    recording?: Run
    rerecord?: string
    plugins?: { paths: string[]; root: string }
  },
  preload: string,
): Promise<ProgramResult> {
  const [program, args] = commandAfterDashes(command, {
    noun: 'program',
    example: 'replaykit record -o app.rpk -- node app.js',
  })
  const dir = mkdtempSync(join(tmpdir(), 'replaykit-session-'))
  try {
    const config: SessionConfig = {
      mode: session.mode,
      name: session.name,
      index: session.index,
      resultFile: join(dir, 'result.json'),
      ...(session.rerecord ? { rerecord: session.rerecord } : {}),
      ...(session.plugins && session.plugins.paths.length > 0 ? { plugins: session.plugins } : {}),
    }
    if (session.recording) {
      config.recordingFile = join(dir, 'recording.json')
      writeFileSync(config.recordingFile, JSON.stringify(session.recording))
    }
    // Plugins first (bin/preload-plugins.mjs, beside dist/ in the package): the capture's hooks need them from its start.
    const plugins = config.plugins
      ? `--import=${pathToFileURL(join(preload, '../../../bin/preload-plugins.mjs')).href}`
      : ''
    const imports = [plugins, `--import=${pathToFileURL(preload).href}`]
    const nodeOptions = [process.env.NODE_OPTIONS, ...imports].filter(Boolean).join(' ')
    const exitCode = await spawnCommand(program, args, {
      noun: 'program',
      env: { ...process.env, NODE_OPTIONS: nodeOptions, [SESSION_ENV]: JSON.stringify(config) },
    })
    let result: { run: Run; problems: ReplayProblem[] } | undefined
    try {
      result = JSON.parse(readFileSync(config.resultFile, 'utf8')) as { run: Run; problems: ReplayProblem[] }
    } catch {
      result = undefined
    }
    return result ? { exitCode, run: result.run, problems: result.problems } : { exitCode, problems: [] }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
