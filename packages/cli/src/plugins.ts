/**
 * Plugins for the commands that run the engine (`record`, `replay`), named by
 * `--plugin PATH` (repeatable, resolved from the working folder, as a runner's
 * config resolves them from the project root). They are loaded twice, each
 * where its events happen: here, in the CLI, which checks them first (a bad
 * path is a PluginError naming it, before the program runs) and runs the
 * events of the file (`store`, `beforeWrite`) and of the judgement
 * (`onDivergence`); and in the program, through the preload, which runs the
 * request events (`beforeMatch`, `onMatch`, `onMiss`, `beforeReplay`).
 */
import { resolve } from 'node:path'
import type { RecordingStore, Run, RunComparison } from '@replaykit/core'

export interface CliPlugins {
  /** The paths and the folder they resolve from, for the preload's session config; undefined without plugins. */
  session: { paths: string[]; root: string } | undefined
  /** The store a plugin provides for the file at `path`, if one does. */
  store(path: string): RecordingStore | undefined
  /** The run as the plugins' beforeWrite hooks hand it back. */
  beforeWrite(key: string, run: Run, file: string): Run
  /** The run as the plugins' matchers see it (beforeMatch on each request), for the comparison. */
  asMatched(run: Run): Run
  /** Tell the plugins' onDivergence hooks. */
  onDivergence(key: string, comparison: RunComparison): void
  /** Run the plugins' cleanup (the command is done). */
  unload(): Promise<void>
}

const NONE: CliPlugins = {
  session: undefined,
  store: () => undefined,
  beforeWrite: (_key, run) => run,
  asMatched: (run) => run,
  onDivergence: () => undefined,
  unload: async () => undefined,
}

/**
 * Load, check and set up the plugins at `paths` in this process.
 * @note Without plugins nothing more is loaded (the engine's runner SPI is imported only for them).
 * @throws PluginError (RPK_BAD_PLUGIN) naming the path that does not resolve, does not load or is not a plugin
 */
export async function loadCliPlugins(paths: readonly string[], root: string = process.cwd()): Promise<CliPlugins> {
  if (paths.length === 0) return NONE
  const folder = resolve(root)
  const { loadPlugins, unloadPlugins } = await import('@replaykit/core/engine')
  const { asMatched, divergenceFields, pluginStore, runHookSync } = await import('@replaykit/core/runner')
  await loadPlugins(paths, folder)
  return {
    session: { paths: [...paths], root: folder },
    store: (path) => pluginStore({ testFile: path, rpkPath: path }),
    beforeWrite: (key, run, file) => runHookSync('beforeWrite', { key, run, file }, 'run').run,
    asMatched,
    onDivergence: (key, comparison) => {
      runHookSync('onDivergence', { key, divergence: divergenceFields(comparison) })
    },
    unload: unloadPlugins,
  }
}
