/** Plugins: their shape, the shape check, the loader and the running of hooks. */
export { activatePlugins, activePlugins, runHook, runHookSync, unloadPlugins } from './active.js'
export { checkPlugin } from './check-plugin.js'
export { type OnWorkerExit, unloadPluginsOnExit } from './exit-cleanup.js'
export { loadPlugins, loadPluginsOnce } from './load-plugins.js'
export { asMatched } from './matched-runs.js'
export { pluginStore } from './store.js'
export type {
  BeforeMatchEvent,
  BeforeReplayEvent,
  BeforeWriteEvent,
  DivergenceEvent,
  MatchEvent,
  MissEvent,
  PluginEvent,
  PluginHooks,
  ReplayKitPlugin,
  StoreContext,
} from './types.js'
export { PLUGIN_EVENTS } from './types.js'
