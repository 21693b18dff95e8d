/**
 * Schema migrations of `.rpk` files, one per major version step.
 *
 * Schema 1.x is the only major so far, so the registry is empty. When schema
 * 2.0 comes, it adds `{ from: 1, to: 2, migrate }` here and `replaykit migrate`
 * upgrades old files. Newer minors read older ones without a migration
 * (docs/schema.md); `replaykit migrate` still rewrites an older minor at the
 * current one (a 1.0 file gets the 1.1 seal), with no step to list.
 *
 * @note In core, not the CLI: the format's history belongs with the format, and a
 * reader other than the CLI (the UI, the gateway) upgrades files the same way.
 */
import { parseRpk } from '../artifact/read.js'
import { SCHEMA_VERSION } from '../artifact/schema/v1.js'
import type { RpkFile } from '../artifact/types.js'
import { validateRpk } from '../artifact/validate.js'
import { buildRpk } from '../artifact/write.js'
import { OldVersionError, SchemaError } from '../errors/classes.js'
import { isReplayKitError } from '../errors.js'

export interface Migration {
  /** Schema major version this migration reads. */
  from: number
  /** Schema major version it produces (`from + 1`). */
  to: number
  /** What changed, for the command's output. */
  description: string
  /** Turn a parsed file of major `from` into one of major `to` (its contentHash is recomputed afterwards). */
  migrate: (file: { [key: string]: unknown }) => { [key: string]: unknown }
}

/** Every known migration, oldest first. */
export const MIGRATIONS: readonly Migration[] = []

/** The chain of migrations from one major version to another, or undefined when there is a gap. */
export function planMigrations(
  from: number,
  to: number,
  registry: readonly Migration[] = MIGRATIONS,
): Migration[] | undefined {
  const plan: Migration[] = []
  for (let major = from; major < to; major++) {
    const step = registry.find((migration) => migration.from === major && migration.to === major + 1)
    if (!step) return undefined
    plan.push(step)
  }
  return plan
}

export type MigrationResult =
  | { migrated: false; from: string; to: string; rpk: RpkFile }
  | { migrated: true; from: string; to: string; steps: Migration[]; rpk: RpkFile }

/**
 * Load a recording of any known schema version and bring it to the current one.
 * `migrated: false` when it already reads as current; otherwise `rpk` is the
 * upgraded file, checked like any loaded file, ready to write.
 */
export function migrateText(
  input: string | Uint8Array,
  file: string,
  registry: readonly Migration[] = MIGRATIONS,
): MigrationResult {
  try {
    const rpk = parseRpk(input, file)
    if (!isOlderMinor(rpk.schemaVersion)) return { migrated: false, from: rpk.schemaVersion, to: SCHEMA_VERSION, rpk }
    // An older minor reads as it is; migrating writes it at the current minor (1.1 adds the seal,
    // artifact/text-hash.ts, that lets a load skip the checks the writer guarantees). Same content, same hash.
    const rebuilt = buildRpk({ runs: rpk.runs, blobs: rpk.blobs, source: rpk.meta?.source })
    return { migrated: true, from: rpk.schemaVersion, to: SCHEMA_VERSION, steps: [], rpk: rebuilt }
  } catch (error) {
    if (!isReplayKitError(error) || error.code !== 'RPK_OLD_VERSION') throw error
  }
  // parseRpk only says RPK_OLD_VERSION after the encoding, JSON and structure checks passed.
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8')
  const value = JSON.parse(text) as { [key: string]: unknown }
  const from = String(value.schemaVersion)
  const steps = planMigrations(major(from), major(SCHEMA_VERSION), registry)
  if (!steps) {
    throw new OldVersionError(
      `Failed to migrate the recording: it has schema version ${from}, and no migration from it to ${SCHEMA_VERSION} is known.`,
      {
        file,
        hint: 'read it with the ReplayKit release that wrote it, or delete it and record anew (`replaykit test --update-replays`, or `replaykit record` for a CLI recording).',
      },
    )
  }
  let migrated = value
  for (const step of steps) migrated = step.migrate(migrated)
  // Check the shape before hashing it: the hash walks the runs and would fail on a broken one with a TypeError.
  const violation = validateRpk({ ...migrated, schemaVersion: SCHEMA_VERSION, contentHash: `sha256:${'0'.repeat(64)}` })
  if (violation) {
    throw new SchemaError(
      `Failed to migrate the recording: the migrated file breaks schema ${SCHEMA_VERSION} at ${violation.path} (${violation.message}). Nothing was written.`,
      { file, hint: 'this is a bug in a ReplayKit migration: report it with the file (it is redacted already).' },
    )
  }
  const content = migrated as unknown as RpkFile
  const rebuilt = buildRpk({ runs: content.runs, blobs: content.blobs, source: content.meta?.source })
  // Load the result like any file: a migration bug must fail here, not in the next test run.
  const rpk = parseRpk(JSON.stringify(rebuilt), file)
  return { migrated: true, from, to: SCHEMA_VERSION, steps, rpk }
}

/** True for a version of the current major with a lower minor (1.0.x when this ReplayKit writes 1.1.0). */
function isOlderMinor(version: string): boolean {
  const [readMajor, readMinor] = version.split('.').map(Number)
  const [ownMajor, ownMinor] = SCHEMA_VERSION.split('.').map(Number)
  return readMajor === ownMajor && (readMinor as number) < (ownMinor as number)
}

function major(version: string): number {
  return Number(version.split('.')[0])
}
