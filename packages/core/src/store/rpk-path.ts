/**
 * Where a test file's recordings live: `__snapshots__/<test file name>.rpk`
 * beside it, like the `.snap` files of Jest and Vitest.
 */
import { basename, dirname, join, relative } from 'node:path'

/** The folder recordings sit in, next to the test file. */
export const SNAPSHOT_FOLDER = '__snapshots__'

/**
 * The `.rpk` path for a test file.
 *
 * @example rpkPathFor('/repo/test/agent.test.ts') // '/repo/test/__snapshots__/agent.test.ts.rpk'
 */
export function rpkPathFor(testFile: string): string {
  return join(dirname(testFile), SNAPSHOT_FOLDER, `${basename(testFile)}.rpk`)
}

/** The test file as the `.rpk` names it in `meta.source`: relative to the `.rpk`, `/`-separated. */
export function sourceFor(rpkPath: string, testFile: string): string {
  return relative(dirname(rpkPath), testFile).split('\\').join('/')
}
