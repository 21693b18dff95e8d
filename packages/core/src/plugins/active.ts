/**
 * The worker's active plugins and the running of their hooks, in the order of
 * the `plugins` list. Kept in the process-wide runtime, so that every copy of
 * core in the process (the Jest environment's and the test's) runs the same plugins.
 */
import { shared } from '../engine/runtime/runtime.js'
import { PluginError } from '../errors/classes.js'
import type { PluginHooks, ReplayKitPlugin } from './types.js'

interface Active {
  plugins: ReplayKitPlugin[]
  /** The root and paths the active plugins were loaded from (loadPluginsOnce). */
  key?: string
}

function active(): Active {
  return shared('plugins', (): Active => ({ plugins: [] }))
}

/** Make `plugins` the active ones (replacing those before). */
export function activatePlugins(plugins: readonly ReplayKitPlugin[]): void {
  active().plugins = [...plugins]
  delete active().key
}

/** Where the active plugins were loaded from, kept by loadPluginsOnce. */
export function loadedFrom(): { key?: string } {
  return active()
}

/** The active plugins, in order. */
export function activePlugins(): readonly ReplayKitPlugin[] {
  return active().plugins
}

/** Run every plugin's cleanup (in reverse order) and make none active. */
export async function unloadPlugins(): Promise<void> {
  const plugins = active().plugins
  active().plugins = []
  delete active().key
  for (const plugin of [...plugins].reverse()) {
    await plugin.cleanup?.()
  }
}

type Event = keyof PluginHooks
type EventOf<E extends Event> = Parameters<NonNullable<PluginHooks[E]>>[0]

/**
 * Run hook `event` of every active plugin in order, awaiting each. A hook that
 * returns a value other than undefined replaces `event[field]` for the next ones.
 */
export async function runHook<E extends Event>(
  event: E,
  payload: EventOf<E>,
  field?: keyof EventOf<E>,
): Promise<EventOf<E>> {
  let current = payload
  for (const plugin of active().plugins) {
    const hook = plugin.hooks?.[event] as ((value: EventOf<E>) => unknown) | undefined
    if (!hook) continue
    let returned: unknown
    try {
      returned = await hook.call(plugin.hooks, current)
    } catch (error) {
      throw hookFailed(plugin, event, error)
    }
    if (field !== undefined && returned !== undefined) current = { ...current, [field]: returned }
  }
  return current
}

/** As runHook, for the synchronous events (beforeMatch, beforeWrite, onDivergence): a hook that returns a promise is an error. */
export function runHookSync<E extends 'beforeMatch' | 'beforeWrite' | 'onDivergence'>(
  event: E,
  payload: EventOf<E>,
  field?: keyof EventOf<E>,
): EventOf<E> {
  let current = payload
  for (const plugin of active().plugins) {
    const hook = plugin.hooks?.[event] as ((value: EventOf<E>) => unknown) | undefined
    if (!hook) continue
    let returned: unknown
    try {
      returned = hook.call(plugin.hooks, current)
    } catch (error) {
      throw hookFailed(plugin, event, error)
    }
    if (returned instanceof Promise) {
      throw hookFailed(plugin, event, new Error('it returned a promise: this event is synchronous'))
    }
    if (field !== undefined && returned !== undefined) current = { ...current, [field]: returned }
  }
  return current
}

export function hookFailed(plugin: ReplayKitPlugin, event: Event | 'store', error: unknown): PluginError {
  const message = error instanceof Error ? error.message : String(error)
  return new PluginError(`Plugin "${plugin.name}" failed in ${event}: ${message}.`, {
    cause: error,
    hint: `fix the plugin "${plugin.name}" (its ${event} hook threw), or remove it from the \`plugins\` option.`,
  })
}
