/**
 * `replaykit migrate FILE`: rewrite a recording of an older schema version at
 * the current one. A current file is reported and left untouched.
 */
import { MIGRATIONS, type Migration, migrateText, openRecordingStore } from '@replaykit/core'
import type { CommandContext, CommandResult } from '../context.js'
import { EXIT_CODES } from '../exit-codes.js'
import { readRecordingBytes } from '../load.js'

/** `registry` is for tests: the schema has one major version so far, so the real registry is empty. */
export function migrate(
  file: string,
  context: CommandContext,
  registry: readonly Migration[] = MIGRATIONS,
): CommandResult {
  const outcome = migrateText(readRecordingBytes(file), file, registry)
  const { info, colors: c } = context
  if (!outcome.migrated) {
    info(`${file}: schema ${outcome.from} is current (this ReplayKit writes ${outcome.to}); nothing to do`)
  } else {
    // Through the store: a journal beside the file (a capture that was killed) is folded in, not lost.
    openRecordingStore(file).replace(outcome.rpk)
    info(`${file}: ${c.green('migrated')} from schema ${outcome.from} to ${outcome.to}`)
    for (const step of outcome.steps) info(`  ${step.from}.x → ${step.to}.x: ${step.description}`)
  }
  return {
    exitCode: EXIT_CODES.ok,
    json: {
      command: 'migrate',
      ok: true,
      exitCode: EXIT_CODES.ok,
      file,
      from: outcome.from,
      to: outcome.to,
      migrated: outcome.migrated,
      steps: outcome.migrated
        ? outcome.steps.map((step) => ({ from: step.from, to: step.to, description: step.description }))
        : [],
    },
  }
}
