/**
 * The ReplayKit test environment for Jest: jest-environment-node plus the
 * ReplayKit engine, loaded in the outer Node realm.
 *
 * @note MSW 3 is ESM-only: requiring it inside Jest's sandbox fails, and
 * `import()` there needs `--experimental-vm-modules`. Outside the sandbox Node
 * loads it normally, and the sandbox gets a bridge to it. The sandbox's own
 * `fetch` is pointed at the outer one, which the engine intercepts, and its
 * `Date`, `Math.random` and `crypto` are routed to the capture's tape.
 */

import { shareAdapters } from '@replaykit/core'
import { lateRequestError, loadPluginsOnce, takeLateProblems, unloadPluginsOnExit } from '@replaykit/core/engine'
import { blockNetwork } from '@replaykit/core/node'
import {
  finishReplayFile,
  installRealmDeterminism,
  legacyRunName,
  type ReplayKitOptions,
  resolveUpdateState,
  runName,
  type SerializedConfig,
  serializeConfig,
  withEnvMode,
} from '@replaykit/core/runner'
import { TestEnvironment as NodeEnvironment } from 'jest-environment-node'
import { createBridge, type FileBridge } from './bridge.js'
import { BRIDGE_KEY } from './bridge-types.js'
import { sendFileReport } from './report-channel.js'
import { type CircusEntry, fullTestName, testNamePath } from './test-name.js'

/** The parts of Jest's environment config read here. */
export interface EnvironmentConfig {
  globalConfig: { ci?: boolean; rootDir?: string }
  projectConfig: { rootDir: string; testEnvironmentOptions: Record<string, unknown> }
}

export interface EnvironmentContext {
  testPath: string
}

/** The circus events that tell which tests did not pass. */
export interface CircusEvent {
  name: string
  test?: CircusEntry & { errors?: unknown[] }
}

/** The part of jest-circus's state read here. */
export interface CircusState {
  unhandledErrors?: unknown[]
}

type NodeEnvironmentArgs = ConstructorParameters<typeof NodeEnvironment>

export default class ReplayKitEnvironment extends NodeEnvironment {
  private readonly testPath: string
  private readonly root: string
  private readonly config: SerializedConfig
  private readonly ci: boolean
  private readonly notPassed = new Set<string>()
  private bridge?: FileBridge
  private undo: Array<() => void> = []

  constructor(config: EnvironmentConfig, context: EnvironmentContext) {
    super(...([config, context] as unknown as NodeEnvironmentArgs))
    this.testPath = context.testPath
    this.root = config.projectConfig.rootDir
    this.ci = config.globalConfig.ci === true
    const options = config.projectConfig.testEnvironmentOptions.replaykit as ReplayKitOptions | undefined
    this.config = withEnvMode(serializeConfig(options, 'testEnvironmentOptions.replaykit in the Jest config'))
  }

  override async setup(): Promise<void> {
    await super.setup()
    const sandbox = this.global as unknown as Record<string, unknown>
    // The runners' own -u never re-records: only REPLAYKIT_UPDATE (set by `replaykit test --update-replays`).
    const update = resolveUpdateState({ ci: this.ci })
    // The sandbox's console: Jest shows its lines with the test file.
    const warn = (line: string): void => (this.global.console as Console).warn(line)
    // Plugins by module path, loaded out here (where the engine runs) before the file's first capture.
    if (this.config.plugins) {
      await loadPluginsOnce(this.config.plugins, this.root)
      // Their cleanup when this worker (or the in-band run) ends: its event loop empties then.
      unloadPluginsOnExit()
    }
    this.bridge = createBridge({ testFile: this.testPath, root: this.root, update, config: this.config, warn })
    sandbox[BRIDGE_KEY] = this.bridge
    // The sandbox copied the outer fetch lazily, maybe before interception: always call the current one.
    sandbox.fetch = (...args: Parameters<typeof fetch>) => globalThis.fetch(...args)
    if (this.config.determinism !== false) this.undo.push(installRealmDeterminism(this.global as typeof globalThis))
    // registerAdapter() in a setup file runs in the sandbox: share the list the engine asks out here.
    this.undo.push(shareAdapters(this.global))
    if (this.config.blockNetwork) {
      this.undo.push(blockNetwork(this.config.allowedHosts ? { allowedHosts: this.config.allowedHosts } : {}))
    }
    this.undo.push(() => {
      delete sandbox[BRIDGE_KEY]
    })
  }

  handleTestEvent(event: CircusEvent, state?: CircusState): void {
    if (event.name === 'run_finish') {
      // Late requests of captures whose test had ended fail the file, beside the tests' own results
      // (an error thrown from teardown would replace them all with "Test suite failed to run").
      const late = lateRequestError(takeLateProblems(), `the tests in ${this.testPath}`)
      if (late) state?.unhandledErrors?.push(late)
    }
    const test = event.test
    if (!test) return
    if (event.name === 'test_done') {
      // @note Before circus decides on a retry or the result: an error pushed here fails the test.
      const error = this.bridge?.finishTest(test)
      if (error) test.errors?.push([error, error])
      // Requests the test's captures made after returning (refused in strict mode, or not recorded) fail it:
      // jest-circus builds the results from `test.errors` after this event.
      const late = lateRequestError(this.bridge?.sealTest(test) ?? [], `test "${fullTestName(test)}"`)
      if (late) test.errors?.push(late)
    }
    if (event.name === 'test_skip' || event.name === 'test_todo') this.markNotPassed(test)
    else if (event.name === 'test_done' && (test.errors?.length ?? 0) > 0) this.markNotPassed(test)
  }

  /** Keep the test's recordings: both key forms, as a recording made before names were escaped may be in use. */
  private markNotPassed(test: CircusEntry): void {
    const path = testNamePath(test)
    this.notPassed.add(runName(path))
    this.notPassed.add(legacyRunName(path))
  }

  override async teardown(): Promise<void> {
    try {
      const update = resolveUpdateState({ ci: this.ci })
      const { entry, error } = finishReplayFile(this.testPath, { root: this.root, update, notPassed: this.notPassed })
      sendFileReport({
        testFile: this.testPath,
        runs: this.bridge?.entries ?? [],
        ...(entry ? { file: entry } : {}),
        report: this.config.report,
        reportFile: this.config.reportFile,
      })
      if (error) throw error
      // Requests from captures whose test had ended: refused (strict) or not recorded.
      const late = lateRequestError(takeLateProblems(), `the tests in ${this.testPath}`)
      if (late) throw late
    } finally {
      for (const undo of this.undo.reverse()) undo()
      this.undo = []
      await super.teardown()
    }
  }
}
