/**
 * The worker's view of the plugin: its options (injected by the main
 * process) and the test each run belongs to, for the matcher and the reporter.
 */
import { UsageError } from '@replaykit/core/errors'
import { shared } from '@replaykit/core/runner'
import type { ScopedTask } from './test-scope.js'
import type { WorkerConfig } from './worker-config.js'

/**
 * In core's runtime (the one process-wide slot): the setup file and the user's import may load two
 * copies of this module (and of core), and both must see one config and one owner map.
 */
function state(): { config?: WorkerConfig; owners: WeakMap<object, ScopedTask> } {
  return shared('vitest.worker', () => ({ owners: new WeakMap<object, ScopedTask>() }))
}

/**
 * Keep what the main process provided (the setup file calls this with `inject`).
 *
 * @note The setup file alone imports `vitest` at run time: the package's entry must stay loadable
 * from a CommonJS Vitest config, and Vitest throws when it is `require`d.
 */
export function setWorkerConfig(config: WorkerConfig | undefined): void {
  if (config) state().config = config
}

/** The plugin's options in this worker. Throws a usage error when the plugin is not configured. */
export function workerConfig(): WorkerConfig {
  const provided = state().config
  if (!provided) {
    throw new UsageError(
      'Failed to capture: the ReplayKit plugin is not in the Vitest config, so there is nowhere to keep recordings.',
      {
        hint: "add it: import replaykit from '@replaykit/vitest'; export default defineConfig({ plugins: [replaykit()] })",
      },
    )
  }
  return provided
}

function owners(): WeakMap<object, ScopedTask> {
  return state().owners
}

/** Remember which test made a run: the matcher reports on that test, even in concurrent tests. */
export function setOwner(run: object, task: ScopedTask): void {
  owners().set(run, task)
}

export function ownerOf(run: unknown): ScopedTask | undefined {
  return typeof run === 'object' && run !== null ? owners().get(run) : undefined
}
