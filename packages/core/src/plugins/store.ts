/**
 * The custom store a plugin provides: the RecordingStore a test file's session
 * (store/replay-file.ts) reads and writes through, instead of the `.rpk` beside
 * the test. Asked once per test file; checked here, because a store missing a
 * method would otherwise fail with a TypeError at the end of the file's tests,
 * after the live (paid) calls were made.
 */
import type { RecordingStore } from '../store/port.js'
import { activePlugins, hookFailed } from './active.js'
import type { StoreContext } from './types.js'

const METHODS = ['read', 'put', 'append', 'save', 'rewrite', 'replace', 'assertWritable'] as const

/**
 * The store of the active plugin that has one, for the test file of `context`; undefined when none has.
 * @throws PluginError (RPK_BAD_PLUGIN) naming the plugin when its `store` throws or returns something that is not a RecordingStore
 */
export function pluginStore(context: StoreContext): RecordingStore | undefined {
  const plugin = activePlugins().find((candidate) => candidate.store)
  if (!plugin?.store) return undefined
  let store: unknown
  try {
    store = plugin.store(context)
  } catch (error) {
    throw hookFailed(plugin, 'store', error)
  }
  const problem = storeProblem(store)
  if (problem) throw hookFailed(plugin, 'store', new Error(`it returned ${problem}, not a RecordingStore`))
  return store as RecordingStore
}

function storeProblem(store: unknown): string | undefined {
  if (typeof store !== 'object' || store === null) return store === null ? 'null' : typeof store
  const value = store as Record<string, unknown>
  if (typeof value.path !== 'string') return 'an object without a `path` string'
  const missing = METHODS.filter((method) => typeof value[method] !== 'function')
  return missing.length > 0 ? `an object without ${missing.join(', ')}` : undefined
}
