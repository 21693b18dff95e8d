/**
 * `@replaykit/core/gateway`: the passive gateway (`replaykit listen`): an HTTP
 * server that forwards provider traffic live and records it, or answers it
 * from a recording. It is core's second transport; routes: docs/gateway-routes.md.
 */
export { gatewayEnv } from '../gateway/env.js'
export { INTERRUPTED_CODE, recoverRecording } from '../gateway/in-flight-recovery.js'
export { LISTENER_NODE_FLAGS } from '../gateway/node-flags.js'
export { prune as pruneRotated, rotatedFiles } from '../gateway/recording.js'
export { startGateway } from '../gateway/server.js'
export type {
  Gateway,
  GatewayMode,
  GatewayOptions,
  GatewayProvider,
  GatewayStatus,
  GatewaySummary,
} from '../gateway/types.js'
