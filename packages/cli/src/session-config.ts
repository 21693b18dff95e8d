/** What the CLI passes to the preload in the program it runs (as JSON in one environment variable). */
import type { Mode } from '@replaykit/core'

export const SESSION_ENV = 'REPLAYKIT_SESSION'

export interface SessionConfig {
  mode: Mode
  name: string
  index: number
  /** A JSON file holding the recorded run to replay or compare against. */
  recordingFile?: string
  /** The command a refusal names for re-recording (the engine's `rerecord` option). */
  rerecord?: string
  /** Where the preload writes `{ run, problems }` when the program ends. */
  resultFile: string
  /** Plugins (`--plugin`) the preload loads before the capture starts: module paths and the folder they resolve from. */
  plugins?: { paths: string[]; root: string }
}
