/**
 * `@replaykit/cli`: the `replaykit` command. The binary is `bin/replaykit.js`;
 * `main` runs the same command line in-process (for wrappers and tests).
 */

// @note The migrations live in core now (store/migrations.ts); re-exported so that this package's surface stays.
export type { Migration } from '@replaykit/core'
export { MIGRATIONS, planMigrations } from '@replaykit/core'
export type { CliIo, CommandResult, GlobalOptions } from './context.js'
export type { ExitCode } from './exit-codes.js'
export { EXIT_CODES } from './exit-codes.js'
export { main, run } from './main.js'
export { VERSION } from './version.js'
