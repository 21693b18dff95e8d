/** The beforeWrite hook (issue 11): a redaction policy plugin changes a run before it is written. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import type { Run } from '../../src/artifact/types.js'
import { activatePlugins, unloadPlugins } from '../../src/plugins/index.js'
import { ReplayFile } from '../../src/store/replay-file.js'
import { rpkPathFor } from '../../src/store/rpk-path.js'
import { sampleRun } from '../fixtures/sample-runs.js'

let dir: string
let testFile: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-plugin-write-'))
  testFile = join(dir, 'agent.test.ts')
})
afterEach(async () => {
  await unloadPlugins()
  rmSync(dir, { recursive: true, force: true })
})

/** A redaction policy: the city never reaches the file. */
const redactCity = (run: Run): Run => ({
  ...run,
  outcome: {
    type: 'return',
    value: String(run.outcome.type === 'return' ? run.outcome.value : '').replace('Oslo', '[city]'),
  },
})

test('beforeWrite runs in list order and what it returns is what is written', () => {
  const seen: string[] = []
  activatePlugins([
    { name: 'policy', hooks: { beforeWrite: ({ run }) => redactCity(run) } },
    {
      name: 'audit',
      hooks: {
        beforeWrite: ({ key, run, file }) => {
          seen.push(`${key} ${file === rpkPathFor(testFile)} ${JSON.stringify(run.outcome)}`)
        },
      },
    },
  ])
  const file = new ReplayFile(testFile, { update: 'new' })
  file.store('agent 1', sampleRun('agent', 1))
  const saved = file.save()
  expect(saved.error).toBeUndefined()
  expect(saved).toMatchObject({ written: true, added: ['agent 1'] })
  const written = JSON.parse(readFileSync(rpkPathFor(testFile), 'utf8'))
  expect(written.runs['agent 1'].outcome).toEqual({ type: 'return', value: 'It is 12°C in [city].' })
  expect(seen).toEqual(['agent 1 true {"type":"return","value":"It is 12°C in [city]."}'])
})

test('a beforeWrite that throws holds that run back and reports the plugin by name', () => {
  activatePlugins([
    {
      name: 'strict-policy',
      hooks: {
        beforeWrite: ({ key }) => {
          if (key === 'bad 1') throw new Error('unknown field')
        },
      },
    },
  ])
  const file = new ReplayFile(testFile, { update: 'new' })
  file.store('bad 1', sampleRun('bad', 1))
  file.store('good 1', sampleRun('good', 1))
  const saved = file.save()
  expect(saved).toMatchObject({ written: true, added: ['good 1'], unsaved: ['bad 1'] })
  expect(String(saved.error)).toMatch(/Plugin "strict-policy" failed in beforeWrite: unknown field/)
})
