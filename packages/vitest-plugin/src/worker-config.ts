/**
 * What the main process hands each test worker (through Vitest's `provide`):
 * the checked options, the update state read from the command line, the
 * project root and whether the terminal takes colours.
 */
import type { SerializedConfig, UpdateState } from '@replaykit/core/runner'

/** The `provide` key. */
export const PROVIDE_KEY = 'replaykit'

export interface WorkerConfig {
  config: SerializedConfig
  update: UpdateState
  root: string
  color: boolean
}

declare module 'vitest' {
  interface ProvidedContext {
    replaykit: WorkerConfig
  }
}
