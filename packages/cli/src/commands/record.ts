/**
 * `replaykit record -o FILE.rpk [--name NAME] -- <command...>`: run any Node
 * program with interception preloaded and store everything it did over HTTP
 * as one run in FILE.rpk (other runs in the file are kept).
 */
import { openRecordingStore } from '@replaykit/core'
import type { CommandContext, CommandResult } from '../context.js'
import { type CliPlugins, loadCliPlugins } from '../plugins.js'
import { runProgram } from '../run-program.js'
import { usageError } from '../usage-error.js'

export interface RecordOptions {
  output: string | undefined
  name: string
  preload: string
  /** `--plugin`, repeatable: plugin module paths, resolved from the working folder. */
  plugins?: string[]
}

export async function record(
  command: string[],
  options: RecordOptions,
  context: CommandContext,
): Promise<CommandResult> {
  const output = options.output
  if (!output) {
    throw usageError(
      'Failed to read the arguments: record needs the file to write.',
      'pass it with -o, e.g. `replaykit record -o app.rpk -- node app.js`.',
      '--output',
    )
  }
  // A bad plugin path fails here, before the program runs (a PluginError naming it).
  const plugins = await loadCliPlugins(options.plugins ?? [])
  try {
    return await recordWith(plugins, output, command, options, context)
  } finally {
    await plugins.unload()
  }
}

async function recordWith(
  plugins: CliPlugins,
  output: string,
  command: string[],
  options: RecordOptions,
  context: CommandContext,
): Promise<CommandResult> {
  // Load first: a corrupt or future-version file, or a symlink, fails here, before the program runs, and is kept as it is.
  const store = plugins.store(output) ?? openRecordingStore(output)
  store.assertWritable()
  store.read()
  const session = { mode: 'record' as const, name: options.name, index: 1, plugins: plugins.session }
  const result = await runProgram(command, session, options.preload)
  const key = `${options.name} 1`
  if (!result.run) {
    context.note(`replaykit: the program exited (code ${result.exitCode}) without a capture; nothing was written.`)
    return {
      exitCode: result.exitCode || 1,
      json: { command: 'record', ok: false, exitCode: result.exitCode || 1, file: output, written: false },
      jsonStream: 'stderr',
    }
  }
  // The run replaces the one stored under its key; the file's other runs, blobs and source are kept.
  // A plugin's beforeWrite may change the run (a redaction policy) before the store sees it.
  const run = plugins.beforeWrite(key, result.run, store.path)
  const put = store.put(key, run)
  const written = store.save().written || put.written
  const steps = run.steps.length
  context.note(
    `replaykit: recorded ${steps} step${steps === 1 ? '' : 's'} as run "${key}" in ${output}${written ? '' : ' (unchanged)'}.`,
  )
  return {
    exitCode: result.exitCode,
    json: {
      command: 'record',
      ok: true,
      exitCode: result.exitCode,
      file: output,
      run: key,
      steps,
      written,
      programExitCode: result.exitCode,
    },
    jsonStream: 'stderr',
  }
}
