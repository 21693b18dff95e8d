/**
 * `@replaykit/cli`: the `replaykit` command. The binary is `bin/replaykit.js`;
 * `main` runs the same command line in-process (for wrappers and tests).
 */
export type { CliIo, CommandResult, GlobalOptions } from './context.js'
export type { ExitCode } from './exit-codes.js'
export { EXIT_CODES } from './exit-codes.js'
export { main, run } from './main.js'
export type { Migration } from './migrations.js'
export { MIGRATIONS, planMigrations } from './migrations.js'
export { VERSION } from './version.js'
