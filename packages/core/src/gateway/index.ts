/** The gateway: core's HTTP transport for programs that are not Node tests (`replaykit listen`). */
export { gatewayEnv } from './env.js'
export { prune as pruneRotated, rotatedFiles } from './recording.js'
export { startGateway } from './server.js'
export type {
  Gateway,
  GatewayMode,
  GatewayOptions,
  GatewayProvider,
  GatewayStatus,
  GatewaySummary,
} from './types.js'
