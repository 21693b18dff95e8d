/**
 * `replaykit listen prune`: retention of the numbered files a long session
 * rotated into (`session.1.rpk`, `session.2.rpk`, … beside `session.rpk`):
 * keep the newest `--keep N`, remove those older than `--max-age`.
 * The live file itself is never removed.
 */
import { rmSync, statSync } from 'node:fs'
import type { CommandContext, CommandResult } from '../../context.js'
import { EXIT_CODES } from '../../exit-codes.js'
import { usageError } from '../../usage-error.js'
import { shown } from './paths.js'
import { type ListenState, readJson, type StateFiles } from './state.js'

export interface RotatedFile {
  path: string
  index: number
  mtimeMs: number
}

/** The rotated files of `artifact`, newest first (core's gateway names them: `agent.3.rpk`). */
export async function rotatedByAge(artifact: string): Promise<RotatedFile[]> {
  const { rotatedFiles } = await import('@replaykit/core/gateway')
  return rotatedFiles(artifact)
    .map(({ file, n }) => ({ path: file, index: n, mtimeMs: statSync(file).mtimeMs }))
    .sort((a, b) => b.index - a.index)
}

/** Which rotated files the retention removes. */
export function toPrune(
  files: RotatedFile[],
  retention: { keep?: number; maxAge?: number },
  now: number = Date.now(),
): RotatedFile[] {
  return files.filter(
    (file, position) =>
      (retention.keep !== undefined && position >= retention.keep) ||
      (retention.maxAge !== undefined && now - file.mtimeMs > retention.maxAge),
  )
}

export async function prune(
  artifact: string | undefined,
  retention: { keep?: number; maxAge?: number },
  files: StateFiles,
  context: CommandContext,
): Promise<CommandResult> {
  const target = artifact ?? lastArtifact(files)
  if (!target) {
    throw usageError(
      'Failed to prune: no artifact given and no listener ran in this state folder.',
      'name the session file: `replaykit listen prune --out session.rpk --keep 5`.',
      '--out',
    )
  }
  if (retention.keep === undefined && retention.maxAge === undefined) {
    throw usageError(
      'Failed to prune: no retention given.',
      'say what to keep: --keep N (newest rotated files kept) and/or --max-age 7d.',
      '--keep',
    )
  }
  const rotated = await rotatedByAge(target)
  const removed = toPrune(rotated, retention)
  for (const file of removed) {
    rmSync(file.path, { force: true })
    // A journal beside a rotated file belongs to it.
    rmSync(`${file.path}.journal`, { force: true })
  }
  context.info(
    `replaykit: ${removed.length} of ${rotated.length} rotated file${rotated.length === 1 ? '' : 's'} of ${shown(target)} removed.`,
  )
  for (const file of removed) context.info(`  removed ${shown(file.path)}`)
  return {
    exitCode: EXIT_CODES.ok,
    json: {
      command: 'listen prune',
      ok: true,
      artifact: target,
      removed: removed.map((file) => file.path),
      kept: rotated.filter((file) => !removed.includes(file)).map((file) => file.path),
    },
  }
}

/** The artifact of the running listener, or of the last one (from its summary). */
function lastArtifact(files: StateFiles): string | undefined {
  const state = readJson<ListenState>(files.state)
  if (state?.options.out) return state.options.out
  return readJson<{ written?: { file?: string }; artifact?: string }>(files.summary)?.artifact
}
