/**
 * The plugins' custom matching: a capture's key function that first lets each
 * plugin's beforeMatch change the request it is keyed by. Used for the recorded
 * requests (the index) and the live ones (each request), so both sides are
 * matched by the same normalised fields.
 */
import type { KeyFunction } from '../engine/match-key.js'
import { activePlugins, runHookSync } from './active.js'

export function matchedByPlugins(keyOf: KeyFunction): KeyFunction {
  // @note Without a beforeMatch hook, the key function is the capture's own: no cost per request.
  if (!activePlugins().some((plugin) => plugin.hooks?.beforeMatch)) return keyOf
  return (request) => keyOf(runHookSync('beforeMatch', { request }, 'request').request)
}
