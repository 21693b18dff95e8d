/**
 * Whether to colour the output; its own module so that reading the global flags
 * loads nothing else (see the lazy commands in main.ts).
 */
import type { CliIo } from './context.js'

/**
 * Colours are on for a terminal, off with --no-color or NO_COLOR (any non-empty
 * value, see no-color.org), and forced on with FORCE_COLOR when there is no TTY.
 */
export function useColor(color: boolean, io: CliIo): boolean {
  if (!color) return false
  const noColor = io.env.NO_COLOR
  if (noColor !== undefined && noColor !== '') return false
  const force = io.env.FORCE_COLOR
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true
  return io.isTTY
}
