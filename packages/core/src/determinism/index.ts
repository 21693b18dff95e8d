/**
 * Determinism guardrails: time and random values drawn inside a capture are
 * recorded and handed back in order on replay. See docs/determinism.md.
 */
export type { DrawProblems } from './draw-tape.js'
export { DrawTape } from './draw-tape.js'
export { installDeterminism } from './install.js'
export type { TapeLike } from './shared-state.js'
export { withoutRecording } from './shared-state.js'
