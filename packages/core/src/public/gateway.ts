/**
 * `@replaykit/core/gateway`: the passive gateway (`replaykit listen`): an HTTP
 * server that forwards provider traffic live and records it, or answers it
 * from a recording. Routes: docs/gateway-routes.md.
 */
export type {
  Gateway,
  GatewayMode,
  GatewayOptions,
  GatewayProvider,
  GatewayStatus,
  GatewaySummary,
} from '../gateway/index.js'
export { gatewayEnv, pruneRotated, rotatedFiles, startGateway } from '../gateway/index.js'
