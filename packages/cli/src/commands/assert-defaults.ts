/**
 * The defaults of `replaykit assert --strict`, on their own so that the help
 * text can name them without loading the command (see main.ts).
 */

/** Fail when candidate own time > baseline own time × this … */
export const DEFAULT_MAX_RATIO = 1.5
/** … and by more than this many milliseconds (so tiny runs do not flake). */
export const DEFAULT_MIN_MS = 50
