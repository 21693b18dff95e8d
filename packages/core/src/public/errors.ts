/**
 * `@replaykit/core/errors`: the one error family (also re-exported by the root).
 *
 * @note For the merger: new error classes and codes are declared in src/errors.ts
 * and exported here.
 */
export type { ReplayKitErrorCode, ReplayKitErrorOptions } from '../errors.js'
export { isReplayKitError, ReplayKitError } from '../errors.js'
