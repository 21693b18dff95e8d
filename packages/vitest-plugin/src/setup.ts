/**
 * The setup file the plugin adds to every test file: registers the matcher,
 * scopes each test for `capture`, and saves the file's recordings when its
 * tests are done.
 */
import { lateRequestError, loadPluginsOnce, takeLateProblems, unloadPluginsOnExit } from '@replaykit/core/engine'
import { blockNetwork } from '@replaykit/core/node'
import { checkUnasserted, finishReplayFile, legacyRunName, runName } from '@replaykit/core/runner'
import { afterAll, aroundEach, beforeAll, expect, inject } from 'vitest'
import { toMatchReplay } from './matcher.js'
import { META_FILE } from './setup-keys.js'
import { namePathOf, runInTest, type ScopedTask } from './test-scope.js'
import { PROVIDE_KEY, type WorkerConfig } from './worker-config.js'
import { setWorkerConfig, workerConfig } from './worker-state.js'

interface TaskTree extends ScopedTask {
  type: string
  mode?: string
  result?: { state?: string }
  tasks?: TaskTree[]
}

const provided = inject(PROVIDE_KEY) as WorkerConfig | undefined
setWorkerConfig(provided)
// blockNetwork: the whole worker (and the Node processes it starts) reaches only loopback and allowedHosts.
const blocking = provided?.config
if (blocking?.blockNetwork) blockNetwork(blocking.allowedHosts ? { allowedHosts: blocking.allowedHosts } : {})
// Plugins by module path, loaded in this worker before its first capture (once per worker).
const plugins = provided?.config.plugins
if (plugins) {
  beforeAll(async () => {
    await loadPluginsOnce(plugins, workerConfig().root)
    unloadPluginsOnExit(onWorkerStop)
  })
}
expect.extend({ toMatchReplay })

aroundEach(async (runTest, context) => {
  await runInTest(context.task as unknown as ScopedTask, async (scope) => {
    await runTest()
    // A run never passed to toMatchReplay: say so in the test's output, fail the test when its replay could not be served.
    const { warnings, error } = checkUnasserted(scope.runs, { root: workerConfig().root, runner: 'vitest' })
    for (const line of warnings) console.warn(line)
    if (error) throw error
  })
})

// biome-ignore lint/correctness/noEmptyPattern: Vitest reads the first parameter as a fixtures pattern; the file is the second.
afterAll(({}, suite) => {
  const file = suite as unknown as TaskTree & { filepath: string }
  const { root, update } = workerConfig()
  const { entry, error } = finishReplayFile(file.filepath, { root, update, notPassed: notPassed(file) })
  if (entry) file.meta[META_FILE] = entry
  if (error) throw error
  // Requests from captures whose test had ended: refused (strict) or not recorded; the file reports them.
  const late = lateRequestError(takeLateProblems(), `the tests in ${file.filepath}`)
  if (late) throw late
})

/**
 * Call `cleanup` when Vitest stops this worker.
 *
 * @note Vitest terminates its threads and SIGTERMs its forks after its "stop" message, so Node's exit
 * events never run in a worker; its stop awaits the worker state's cleanup listeners (where its own
 * worker-scoped fixtures end). That state is Vitest's, on its own global key, with no public accessor.
 * Without it (a pool that has none), the process's beforeExit.
 */
function onWorkerStop(cleanup: () => Promise<void>): void {
  const state = (globalThis as { __vitest_worker__?: { onCleanup?: (listener: () => unknown) => void } })
    .__vitest_worker__
  if (typeof state?.onCleanup === 'function') state.onCleanup(cleanup)
  else process.once('beforeExit', () => void cleanup())
}

/** Tests that were skipped, filtered out, failed or never ran: their recordings are not obsolete. */
function notPassed(task: TaskTree, out: string[] = []): string[] {
  for (const child of task.tasks ?? []) {
    if (child.type === 'suite') notPassed(child, out)
    else if (child.result?.state !== 'pass') {
      // Both key forms: a recording made before names were escaped may still be in use.
      out.push(runName(namePathOf(child)), legacyRunName(namePathOf(child)))
    }
  }
  return out
}
