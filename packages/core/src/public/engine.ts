/**
 * `@replaykit/core/engine`: the capture engine (capture, replay, matching,
 * determinism). Loads msw only when a capture first needs it
 * (engine/interception.ts). Used by the runner SPI, the CLI's `record` and
 * `replay`, and (next) the gateway.
 *
 * @note For the merger: engine names that users or the other packages need go
 * here, not in the root (src/index.ts), which must not load msw. The Node-only
 * network switch goes to ./node.ts.
 */
export type { DrawProblems, TapeLike } from '../determinism/index.js'
export { DrawTape, installDeterminism, withoutRecording } from '../determinism/index.js'
export { decodeBody, encodeBody } from '../engine/body.js'
export type { CaptureSession } from '../engine/capture.js'
export { runCapture, startCaptureSession } from '../engine/capture.js'
export type { ExchangeInput } from '../engine/exchange-steps.js'
export { exchangeSteps } from '../engine/exchange-steps.js'
export { lateRequestError, takeLateProblems } from '../engine/late.js'
export type { KeyFunction } from '../engine/match-key.js'
export { createKeyFunction } from '../engine/match-key.js'
export type { ModeStrategy } from '../engine/recorder/modes.js'
export { MODE_STRATEGIES, strategyOf } from '../engine/recorder/modes.js'
export type { RecordedExchange } from '../engine/recording-index.js'
export { exchangesOf, RecordingIndex } from '../engine/recording-index.js'
export type {
  CaptureOptions,
  CaptureOutcome,
  CaptureResult,
  LateRequests,
  MatchInput,
  MatchOptions,
  Mode,
  Pacing,
  ReplayProblem,
} from '../engine/types.js'
export { MODES } from '../engine/types.js'
export { normalizeUrl } from '../engine/url.js'
export type {
  BeforeMatchEvent,
  BeforeReplayEvent,
  BeforeWriteEvent,
  DivergenceEvent,
  MatchEvent,
  MissEvent,
  OnWorkerExit,
  PluginEvent,
  PluginHooks,
  ReplayKitPlugin,
  StoreContext,
} from '../plugins/index.js'
export {
  activePlugins,
  checkPlugin,
  loadPlugins,
  loadPluginsOnce,
  PLUGIN_EVENTS,
  unloadPlugins,
  unloadPluginsOnExit,
} from '../plugins/index.js'
