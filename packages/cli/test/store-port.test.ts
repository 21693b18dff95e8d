/**
 * `record`, `rehash` and `migrate` write through core's store port: a journal
 * left beside the file by a capture that was killed (the gateway writes one) is
 * folded into the file they write, never lost or left to be applied twice.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  buildRpk,
  JournalStore,
  journalPathFor,
  type Migration,
  parseRpk,
  readRpkFile,
  SCHEMA_VERSION,
  type Step,
} from '@replaykit/core'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { type FakeProvider, startFakeProvider } from '../../../test/utils/fake-provider.js'
import { migrate } from '../src/commands/migrate.js'
import { agentRun, key, writeRuns } from './fixtures.js'
import { cli, cliAsync, ensureBuilt, NODE, tempDir } from './helpers.js'

let fake: FakeProvider
let dir: string
let file: string
beforeAll(async () => {
  await ensureBuilt()
  fake = await startFakeProvider()
})
afterAll(() => fake.close())
beforeEach(() => {
  dir = tempDir()
  file = join(dir, 'agent.rpk')
  return () => rmSync(dir, { recursive: true, force: true })
})

/** What a killed gateway leaves: two exchanges of a session in the journal, not yet compacted. */
function leaveJournal(): Step[] {
  const steps = agentRun().steps.slice(0, 2)
  const store = new JournalStore(file, { onWarning: () => {} })
  store.append('session 1', steps)
  return steps
}

describe('through the store port', () => {
  test('record keeps the journal of a killed capture: its exchanges end up in the file beside the new run', async () => {
    writeFileSync(join(dir, 'app.mjs'), 'await fetch(process.env.BASE + "/weather?city=Oslo")\n')
    const steps = leaveJournal()
    const result = await cliAsync(['record', '-o', 'agent.rpk', '--', NODE, 'app.mjs'], dir, { BASE: fake.url })
    expect(result.code, result.stderr).toBe(0)
    const rpk = readRpkFile(file)
    expect(Object.keys(rpk?.runs ?? {}).sort()).toEqual(['record 1', 'session 1'])
    expect(rpk?.runs['session 1']?.steps).toEqual(steps)
    expect(existsSync(journalPathFor(file))).toBe(false)
  })

  test('rehash folds the journal into the file it rewrites', () => {
    writeRuns(dir, 'agent.rpk', [agentRun()])
    writeFileSync(file, readFileSync(file, 'utf8').replace('How do I re-record?', 'How do I record again?'))
    const steps = leaveJournal()
    const result = cli(['rehash', 'agent.rpk'], dir)
    expect(result.code, result.stderr).toBe(0)
    const rpk = parseRpk(readFileSync(file), file)
    expect(JSON.stringify(rpk.runs[key(agentRun())])).toContain('How do I record again?')
    expect(rpk.runs['session 1']?.steps).toEqual(steps)
    expect(existsSync(journalPathFor(file))).toBe(false)
  })

  test('migrate folds the journal into the migrated file', () => {
    const zeroToOne: Migration = {
      from: 0,
      to: 1,
      description: 'runs are keyed by name and index',
      migrate: (old) => ({ schemaVersion: '1.0.0', contentHash: '', meta: old.meta, runs: old.byKey }),
    }
    const current = buildRpk({ runs: { [key(agentRun())]: agentRun() } })
    writeFileSync(file, JSON.stringify({ schemaVersion: '0.9.0', meta: current.meta, byKey: current.runs }))
    // The journal of a capture over the old file (its base is the hash the old file stores: none).
    const steps = agentRun().steps.slice(0, 2)
    writeFileSync(
      journalPathFor(file),
      `${JSON.stringify({ rpkJournal: 1, base: null })}\n${JSON.stringify({ op: 'append', key: 'session 1', steps })}\n`,
    )
    const lines: string[] = []
    const context = {
      options: {} as never,
      colors: { green: (s: string) => s } as never,
      info: (l: string) => lines.push(l),
      failure: () => {},
      note: () => {},
    }
    const result = migrate(file, context, [zeroToOne])
    expect(result.exitCode).toBe(0)
    expect(lines[0]).toContain(`migrated from schema 0.9.0 to ${SCHEMA_VERSION}`)
    const rpk = parseRpk(readFileSync(file), file)
    expect(Object.keys(rpk.runs).sort()).toEqual([key(agentRun()), 'session 1'])
    expect(rpk.runs['session 1']?.steps).toEqual(steps)
    expect(existsSync(journalPathFor(file))).toBe(false)
  })
})
