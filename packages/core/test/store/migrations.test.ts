import { describe, expect, test } from 'vitest'
import { buildRpk, type Run, SCHEMA_VERSION, serializeRpk } from '../../src/index.js'
import { MIGRATIONS, type Migration, migrateText, planMigrations } from '../../src/store/migrations.js'
import { sampleRun } from '../fixtures/sample-runs.js'

const agentRun = (): Run => sampleRun()
const key = (run: Run): string => `${run.name} ${run.index}`

/** A made-up schema 0.x that kept runs as a list: what a real 1 → 2 migration will look like. */
const zeroToOne: Migration = {
  from: 0,
  to: 1,
  description: 'runs are keyed by name and index',
  migrate: (file) => {
    const runs = file.runList as Array<ReturnType<typeof agentRun>>
    return {
      schemaVersion: '1.0.0',
      contentHash: '',
      meta: file.meta,
      runs: Object.fromEntries(runs.map((run) => [key(run), run])),
    }
  },
}

describe('migrations', () => {
  test('schema 1.x is current: the registry is empty today', () => {
    expect(MIGRATIONS).toEqual([])
    expect(planMigrations(1, 1)).toEqual([])
    expect(planMigrations(0, 1)).toBeUndefined()
  })

  test('a chain is planned step by step, and a gap means no plan', () => {
    const oneToTwo: Migration = { from: 1, to: 2, description: 'b', migrate: (file) => file }
    expect(planMigrations(0, 2, [oneToTwo, zeroToOne])).toEqual([zeroToOne, oneToTwo])
    expect(planMigrations(0, 2, [oneToTwo])).toBeUndefined()
  })

  test('migrateText runs the chain and returns a file that loads at the current version', () => {
    const old = JSON.stringify({
      schemaVersion: '0.3.0',
      meta: { writer: 'old', source: 'a.test.ts' },
      runList: [agentRun()],
    })
    const result = migrateText(old, 'a.rpk', [zeroToOne])
    expect(result.migrated).toBe(true)
    expect(result.from).toBe('0.3.0')
    expect(result.to).toBe(SCHEMA_VERSION)
    expect(result.rpk.schemaVersion).toBe(SCHEMA_VERSION)
    expect(result.rpk.meta.source).toBe('a.test.ts')
    expect(Object.keys(result.rpk.runs)).toEqual([key(agentRun())])
  })

  test('a migration that produces an invalid file fails before anything is written', () => {
    const broken: Migration = { ...zeroToOne, migrate: () => ({ schemaVersion: '1.0.0', runs: { x: { name: 1 } } }) }
    const old = JSON.stringify({ schemaVersion: '0.3.0', meta: { writer: 'old' }, runList: [] })
    expect(() => migrateText(old, 'a.rpk', [broken])).toThrowError(expect.objectContaining({ code: 'RPK_SCHEMA' }))
  })

  test('a current file is returned as is', () => {
    const text = serializeRpk(buildRpk({ runs: { [key(agentRun())]: agentRun() } }))
    expect(migrateText(text, 'a.rpk')).toMatchObject({ migrated: false, from: SCHEMA_VERSION, to: SCHEMA_VERSION })
  })
})
