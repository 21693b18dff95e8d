/**
 * The shape check of a plugin, done when it is loaded: a misspelt hook would
 * otherwise never run, and a hook that is not a function would throw a
 * TypeError in the middle of someone's capture.
 */
import { PluginError } from '../errors/classes.js'
import { PLUGIN_EVENTS, type ReplayKitPlugin } from './types.js'

const TOP_LEVEL = new Set(['name', 'setup', 'cleanup', 'store', 'hooks'])

/** Throws PluginError (RPK_BAD_PLUGIN) naming `where` (the module path) and the first thing wrong. */
export function checkPlugin(value: unknown, where: string): asserts value is ReplayKitPlugin {
  if (!isObject(value)) throw badPlugin(where, `expected a plugin object, got ${describe(value)}`)
  if (typeof value.name !== 'string' || value.name.trim() === '') {
    throw badPlugin(where, `name must be a non-empty string, got ${describe(value.name)}`)
  }
  for (const key of Object.keys(value)) {
    if (!TOP_LEVEL.has(key))
      throw badPlugin(where, `${value.name}: unknown member "${key}" (expected name, hooks, setup, cleanup, store)`)
  }
  for (const key of ['setup', 'cleanup', 'store'] as const) {
    if (value[key] !== undefined && typeof value[key] !== 'function') {
      throw badPlugin(where, `${value.name}: ${key} must be a function, got ${describe(value[key])}`)
    }
  }
  if (value.hooks !== undefined && !isObject(value.hooks))
    throw badPlugin(where, `${value.name}: hooks must be an object, got ${describe(value.hooks)}`)
  for (const [event, hook] of Object.entries(value.hooks ?? {})) {
    if (!(PLUGIN_EVENTS as readonly string[]).includes(event)) {
      throw badPlugin(where, `${value.name}: unknown hook "${event}" (the events are ${PLUGIN_EVENTS.join(', ')})`)
    }
    if (typeof hook !== 'function')
      throw badPlugin(where, `${value.name}: hooks.${event} must be a function, got ${describe(hook)}`)
  }
}

export function badPlugin(where: string, problem: string, cause?: unknown): PluginError {
  return new PluginError(`Failed to load the plugin: ${problem}.`, { file: where, cause })
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return JSON.stringify(value)
  return typeof value
}
