/**
 * The plugin shape: a name, optional setup and cleanup, and hooks on a closed
 * list of lifecycle events of a capture. Plugins are named by module path in
 * the runner's config (configs cross to workers as JSON) and loaded inside
 * each worker (load-plugins.ts); a recording never names code to run.
 *
 * Hooks run in the order of the `plugins` list. A hook that throws fails the
 * request or the write it was called for, with the plugin's name in the message.
 *
 * @example
 * // replaykit-plugin.ts
 * export default {
 *   name: 'drop-user-field',
 *   hooks: { beforeWrite: ({ run }) => ({ ...run, steps: run.steps.map(dropUser) }) },
 * } satisfies ReplayKitPlugin
 * @see docs/plugins.md
 */
import type { HttpRequestData, HttpResponseData, Run } from '../artifact/types.js'
import type { ReplayEntryDivergence } from '../replay-report/types.js'
import type { RecordingStore } from '../store/port.js'

/** Something a hook may return as a promise (the request hooks are awaited). */
type Awaitable<T> = T | Promise<T>

/**
 * A hook that may hand back a changed value, or nothing to keep it as it is.
 * @note `void` on purpose: a hook written as a block with no `return` must type-check.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a hook that changes nothing returns nothing.
type Changed<T> = T | undefined | void

export interface BeforeMatchEvent {
  /** The request (redacted), live or from the recording. */
  request: HttpRequestData
}

export interface MatchEvent {
  request: HttpRequestData
  /** The recorded request it matched. */
  recorded: HttpRequestData
}

export interface MissEvent {
  request: HttpRequestData
  /** What the mode did with it: sent it live, or refused it. */
  verdict: 'live' | 'refuse'
}

export interface BeforeReplayEvent {
  request: HttpRequestData
  /** The recorded response about to be sent back. */
  response: HttpResponseData
}

export interface BeforeWriteEvent {
  /** The run's key in the recording (`"<test name> <index>"`). */
  key: string
  run: Run
  /** The `.rpk` it is written to. */
  file: string
}

export interface DivergenceEvent {
  /** The test's key. */
  key: string
  divergence: ReplayEntryDivergence
}

/** The closed list of lifecycle events. */
export interface PluginHooks {
  /**
   * Before a request is matched: return a changed request to match by (a custom matcher).
   * Called for the recorded requests and the live ones alike, so both sides are matched by
   * the same fields; the request is still recorded as sent. Synchronous.
   */
  beforeMatch?(event: BeforeMatchEvent): Changed<HttpRequestData>
  /** A recorded exchange matched the request. */
  onMatch?(event: MatchEvent): Awaitable<void>
  /** No recorded exchange matched (the request went live or was refused). */
  onMiss?(event: MissEvent): Awaitable<void>
  /** Before a replayed response is sent: return a changed response to send. */
  beforeReplay?(event: BeforeReplayEvent): Awaitable<Changed<HttpResponseData>>
  /** Before a run is written to the store: return a changed run to write (a redaction policy). Synchronous. */
  beforeWrite?(event: BeforeWriteEvent): Changed<Run>
  /** A replayed test diverged from its recording. Synchronous. */
  onDivergence?(event: DivergenceEvent): void
}

export type PluginEvent = keyof PluginHooks

/** The names of the events, for the shape check: a misspelt hook is an error. */
export const PLUGIN_EVENTS: readonly PluginEvent[] = [
  'beforeMatch',
  'onMatch',
  'onMiss',
  'beforeReplay',
  'beforeWrite',
  'onDivergence',
]

/** What a plugin's `store` is asked for: the recordings of one test file. */
export interface StoreContext {
  /** The test file whose recordings these are. */
  testFile: string
  /** Where ReplayKit keeps them by default (`<dir>/__snapshots__/<file>.rpk`). */
  rpkPath: string
}

export interface ReplayKitPlugin {
  /** Named in the errors of its hooks. */
  name: string
  /** Called once per worker when the plugin is loaded, before the first capture. */
  setup?(): Awaitable<void>
  /** Called when the worker's plugins are unloaded (the worker exits). */
  cleanup?(): Awaitable<void>
  /**
   * A custom store: the `RecordingStore` a test file's recordings are read from and written to
   * (instead of the `.rpk` beside the test). Called once per test file; one plugin at most has it.
   */
  store?(context: StoreContext): RecordingStore
  /** Optional: a plugin may only provide a store. */
  hooks?: PluginHooks
}
