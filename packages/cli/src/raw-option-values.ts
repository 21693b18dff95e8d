/**
 * Repeatable string options (`--run NAME`), read from the raw arguments.
 */
import { argumentError } from './argument-error.js'

/**
 * The values of a repeatable string option, read from the raw arguments.
 *
 * @note Not from cac's parsed options: its parser (mri) turns numeric-looking
 * values into numbers (`--run 007` would select "7") and a missing value into
 * `true`, which cannot be told from a run named "true".
 */
export function rawOptionValues(argv: readonly string[], flag: string, what = 'run key or name'): string[] {
  const values: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--') break
    if (arg.startsWith(`${flag}=`)) {
      values.push(arg.slice(flag.length + 1))
    } else if (arg === flag) {
      const next = argv[i + 1]
      if (next === undefined || next.startsWith('-')) {
        throw argumentError(
          `Failed to read the arguments: option \`${flag} <name>\` needs a value.`,
          `write ${flag} "<${what}>" (or ${flag}=<value> for a value that starts with "-").`,
          flag,
        )
      }
      values.push(next)
      i++
    }
  }
  return values
}
