/**
 * `@replaykit/core/node`: the Node transport's switches. `blockNetwork` makes
 * every request of the process that no capture answers fail (the CI guard).
 * Loads no msw.
 *
 * @note For the merger: the Node transport (interceptor port) and anything that
 * patches the Node process goes here.
 */
export type { BlockNetworkOptions } from '../engine/block-network.js'
export { BLOCK_ENV, blockNetwork } from '../engine/block-network.js'
