/**
 * `replaykit(options)`: the Vite plugin that wires ReplayKit into Vitest.
 *
 * - `config()` adds the setup file (matcher, test scopes, saving at file end).
 * - `configureVitest()` hands the options, the update state and the root to the
 *   workers through `provide`, and adds the replay reporter once.
 *
 * The update state is read here, in the main process, which alone sees the
 * command line: `vitest run -- --update-replays` (Vitest rejects unknown flags
 * before `--`), `REPLAYKIT_UPDATE=1`, or CI.
 */
import { realpathSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { terminalColors } from '@replaykit/core'
import {
  REPLACE_INVALID_ENV,
  REPLACE_INVALID_FLAG,
  type ReplayKitOptions,
  resolveUpdateState,
  type SerializedConfig,
  serializeConfig,
  withEnvMode,
} from '@replaykit/core/runner'
import type { Plugin } from 'vitest/config'
import { ReplayKitReporter } from './reporter.js'
import { PROVIDE_KEY, type WorkerConfig } from './worker-config.js'

/** The setup file, resolved by Vitest from the project root through the package's `exports`. */
export const SETUP_FILE = '@replaykit/vitest/setup'

interface ProvidingProject {
  config: { root: string; setupFiles: string[] }
  provide(key: typeof PROVIDE_KEY, value: WorkerConfig): void
}

interface ReporterHost {
  config: { reporters: unknown[] }
}

// A config with several projects calls configureVitest once per project: one reporter per Vitest instance.
const withReporter = new WeakSet<object>()

/**
 * The ReplayKit plugin for Vitest.
 *
 * @example
 * // vitest.config.ts
 * import replaykit from '@replaykit/vitest'
 * export default defineConfig({ plugins: [replaykit({ mode: 'strict', slowdown: { maxRatio: 2, minMs: 20 } })] })
 */
export function replaykit(options?: ReplayKitOptions): Plugin {
  const config: SerializedConfig = serializeConfig(options, 'replaykit() options in the Vitest config')
  return {
    name: 'replaykit',
    config() {
      return { test: { setupFiles: [SETUP_FILE] } }
    },
    configureVitest({ vitest, project }) {
      // @note `vitest run -- --update-replays --replace-invalid`: only this process sees the flag, and
      // the workers (started later) read it from the environment they inherit.
      if (process.argv.includes(REPLACE_INVALID_FLAG)) process.env[REPLACE_INVALID_ENV] = '1'
      const worker: WorkerConfig = {
        config: withEnvMode(config),
        update: resolveUpdateState({ argv: process.argv }),
        root: project.config.root,
        color: terminalColors(),
      }
      const providing = project as unknown as ProvidingProject
      providing.provide(PROVIDE_KEY, worker)
      ensureSetupFile(providing.config)
      const host = vitest as unknown as ReporterHost
      if (!withReporter.has(vitest)) {
        withReporter.add(vitest)
        host.config.reporters.push(new ReplayKitReporter({ report: config.report, reportFile: config.reportFile }))
      }
    },
  }
}

/**
 * Add the setup file to a project whose config did not get it from `config()`.
 *
 * @note In `test.projects` with `extends: true`, a project inherits the root's plugins (so this hook
 * runs for it) but its config is built from the root's own options, without what the root's
 * `config()` hook returned: without this, every capture there ran "outside a test".
 */
function ensureSetupFile(config: { root: string; setupFiles: string[] }): void {
  const ours = setupFilePath(config.root)
  const real = (path: string): string => {
    try {
      return realpathSync(path)
    } catch {
      return path
    }
  }
  const target = real(ours)
  if (!config.setupFiles.some((file) => real(file) === target)) config.setupFiles.push(ours)
}

/** The ESM setup file of the `@replaykit/vitest` copy the project resolves (what `config()` names). */
function setupFilePath(root: string): string {
  try {
    const manifest = createRequire(join(root, 'package.json')).resolve('@replaykit/vitest/package.json')
    return join(dirname(manifest), 'dist', 'esm', 'setup.js')
  } catch {
    // Not resolvable by Node from the root (e.g. a Vite alias): Vitest resolves the specifier itself.
    return SETUP_FILE
  }
}
