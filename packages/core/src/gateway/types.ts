/**
 * The gateway's public types: the interface shared with the CLI (`replaykit
 * listen`) and the agent packages. Fixed: see docs/gateway-routes.md.
 */

export type GatewayProvider = 'openai' | 'anthropic' | 'gemini'

export interface GatewayOptions {
  /** Default '127.0.0.1'. */
  host?: string
  /** Default 0 = a free port; a port in use rejects with RPK_PORT_IN_USE. */
  port?: number
  /** The `.rpk` recorded into, continuously, through the journal store. */
  out?: string
  /** Answer from this recording (replay mode). */
  replay?: string
  /** With `replay`; default 'strict'. */
  mode?: 'strict' | 'hybrid'
  /** Synthetic answers allowed (explicit opt-in); every one is marked. */
  synthetic?: boolean
  /** Refuse (a provider-shaped error) where a synthetic answer would be given. */
  failOnSynthetic?: boolean
  /** Default https://api.openai.com/v1, https://api.anthropic.com, https://generativelanguage.googleapis.com. */
  upstreams?: Partial<Record<GatewayProvider, string>>
  /** Rotation: bytes per artifact before rolling to a numbered file. */
  maxSize?: number
  /** Rotation: ms per artifact. */
  maxAge?: number
  /** Retention: numbered files kept. */
  keep?: number
  /** Where the mode/policy came from (recorded in artifact metadata), e.g. 'cli flags'. */
  policySource?: string
  /** Redacted log lines. */
  log?: (line: string) => void
}

export type GatewayMode = 'live' | 'replay-strict' | 'replay-hybrid' | 'synthetic'

export interface GatewayStatus {
  url: string
  port: number
  pid: number
  mode: GatewayMode
  artifact?: string
  replay?: string
  startedAt: string
  requests: number
  errors: number
  synthetic: number
  /** Synthetic answers refused (`failOnSynthetic`): `listen stop` and `listen run` then exit 1. */
  syntheticRefused: number
  /** Capture-path faults seen (e.g. 'journal write failed: EACCES …'). */
  degraded: string[]
  /**
   * Exchanges a stopped (killed) listener left in flight in this `out`, written into it as
   * interrupted (an `error.event` with code RPK_GATEWAY_INTERRUPTED) when this one started. Absent when none.
   */
  interrupted?: number
}

export interface GatewaySummary extends GatewayStatus {
  written: { file?: string; runs: number; steps: number }
}

export interface Gateway {
  readonly url: string
  readonly port: number
  status(): GatewayStatus
  close(): Promise<GatewaySummary>
}
