/**
 * No recording is lost or silently replaced, through the real `vitest` binary
 * and the packed packages against the fake provider:
 * - two `vitest run` processes recording into the same files at the same time
 *   keep every run of both;
 * - an update run (`REPLAYKIT_UPDATE=1`, `-t` partial) over files that cannot
 *   be loaded modifies none of them and makes no live call, unless
 *   `REPLAYKIT_REPLACE_INVALID=1` (what `replaykit test --replace-invalid` sets);
 * - a mistyped `REPLAYKIT_UPDATE` stops the run instead of re-recording in CI.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { readRpkFile } from '../../packages/core/src/artifact/read.js'
import { BAD_RPK_FILES, snapshotTree } from '../../packages/core/test/fixtures/bad-rpk-files.js'
import type { FakeProvider } from '../utils/fake-provider.js'
import type { TempProject } from './helpers/project.js'
import { useVitestProject } from './helpers/vitest-project.js'

const e2e = useVitestProject('recording-safety')
let fake: FakeProvider
let project: TempProject
beforeAll(() => {
  ;({ fake, project } = e2e)
})
const vitest = e2e.vitest

const FILES = 3
const RUNS = 8

/**
 * A test file both processes run: RUNS captures named after the process, then
 * a barrier that waits until the other process has made its captures too, so
 * both have loaded the file before either saves it (the save is after the last test).
 */
function sharedFile(n: number): string {
  return `import { existsSync, writeFileSync } from 'node:fs'
import { capture } from '@replaykit/vitest'
import { expect, test } from 'vitest'
import { askAgent } from '../src/agent.js'

const who = process.env.WHO
const other = who === 'a' ? 'b' : 'a'
for (let i = 0; i < ${RUNS}; i++) {
  test(\`\${who} run \${i}\`, async () => {
    const run = await capture(() => askAgent('What is the weather in Oslo?'))
    expect(run).toMatchReplay()
  })
}

test('barrier', async () => {
  writeFileSync(\`\${process.env.BARRIER}/${n}-\${who}\`, '')
  const deadline = Date.now() + 60_000
  while (!existsSync(\`\${process.env.BARRIER}/${n}-\${other}\`)) {
    if (Date.now() > deadline) throw new Error('the other process never reached the barrier')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
})
`
}

describe('two vitest processes recording into the same files', () => {
  test('0 runs lost: each save merges into the file as the other left it', async () => {
    const barrier = join(project.dir, 'barrier')
    mkdirSync(barrier)
    const files = Array.from({ length: FILES }, (_, n) => {
      project.write(`test/shared-${n}.test.ts`, sharedFile(n))
      return `test/shared-${n}.test.ts`
    })
    const [a, b] = await Promise.all([
      vitest(files, { WHO: 'a', BARRIER: barrier }),
      vitest(files, { WHO: 'b', BARRIER: barrier }),
    ])
    rmSync(barrier, { recursive: true })
    expect(a.code, a.output).toBe(0)
    expect(b.code, b.output).toBe(0)
    let lost = 0
    for (let n = 0; n < FILES; n++) {
      const runs = readRpkFile(join(project.dir, `test/__snapshots__/shared-${n}.test.ts.rpk`))?.runs ?? {}
      for (const who of ['a', 'b']) {
        for (let i = 0; i < RUNS; i++) if (!runs[`${who} run ${i} 1`]) lost++
      }
    }
    expect({ runs: 2 * FILES * RUNS, lost }).toEqual({ runs: 48, lost: 0 })
    // No lock or temp file is left beside the recordings.
    expect(readdirSync(join(project.dir, 'test/__snapshots__')).sort()).toEqual(
      Array.from({ length: FILES }, (_, n) => `shared-${n}.test.ts.rpk`),
    )
  })
})

// @note Four kinds through the runner (the core test runs every kind in-process): two replaceable, two never.
const CASES = BAD_RPK_FILES.filter((bad) =>
  ['hash mismatch after a hand edit', 'truncated', 'future version', 'symlink to a valid file'].includes(bad.name),
)

describe('an update run over recordings that cannot be loaded', () => {
  const folder = (): string => join(project.dir, 'bad')
  const testFile = (n: number): string => `bad/case-${n}.test.ts`
  const setUp = (): void => {
    rmSync(folder(), { recursive: true, force: true })
    CASES.forEach((bad, n) => {
      project.write(
        testFile(n),
        `import { capture } from '@replaykit/vitest'
import { expect, test } from 'vitest'
import { askAgent } from '../src/agent.js'

test('old', async () => {
  expect(await capture(() => askAgent('What is the weather in Oslo?'))).toMatchReplay()
})
test('kept', async () => {
  expect(await capture(() => askAgent('What is the weather in Bergen?'))).toMatchReplay()
})
`,
      )
      mkdirSync(join(folder(), '__snapshots__'), { recursive: true })
      bad.make(join(folder(), `__snapshots__/case-${n}.test.ts.rpk`))
    })
  }
  const files = (): string[] => CASES.map((_, n) => testFile(n))

  test('without --replace-invalid: 0 files modified, 0 live calls, each test fails naming its .rpk', async () => {
    setUp()
    const before = snapshotTree(folder())
    const result = await vitest([...files(), '-t', 'old'], { REPLAYKIT_UPDATE: '1' })
    expect(result.code).toBe(1)
    expect(fake.requests).toEqual([])
    expect(snapshotTree(folder())).toEqual(before)
    CASES.forEach((_, n) => {
      expect(result.output).toMatch(
        new RegExp(`case-${n}\\.test\\.ts\\.rpk: Failed to (record|write the recording): .* Nothing was written\\.`),
      )
    })
    expect(result.output).toContain('replaykit rehash')
    expect(result.output).toContain('--update-replays --replace-invalid')
  })

  test('with REPLAYKIT_REPLACE_INVALID=1: only the replaceable files are replaced', async () => {
    setUp()
    const before = snapshotTree(folder())
    const result = await vitest([...files(), '-t', 'old'], { REPLAYKIT_UPDATE: '1', REPLAYKIT_REPLACE_INVALID: '1' })
    expect(result.code).toBe(1)
    const after = snapshotTree(folder())
    CASES.forEach((bad, n) => {
      const rpk = `__snapshots__/case-${n}.test.ts.rpk`
      if (bad.replaceable) {
        expect(after[rpk], bad.name).not.toEqual(before[rpk])
        expect(Object.keys(readRpkFile(join(folder(), rpk))?.runs ?? {}), bad.name).toEqual(['old 1'])
      } else {
        expect(after[rpk], bad.name).toEqual(before[rpk])
      }
    })
    const replaceable = CASES.filter((bad) => bad.replaceable).length
    expect(fake.requests.length).toBe(2 * replaceable)
  })
})

test('REPLAYKIT_UPDATE=disabled in CI stops the run with RPK_BAD_CONFIG instead of re-recording', async () => {
  project.write(
    'test/ci.test.ts',
    `import { capture } from '@replaykit/vitest'
import { expect, test } from 'vitest'
import { askAgent } from '../src/agent.js'
test('asks', async () => {
  expect(await capture(() => askAgent('What is the weather in Oslo?'))).toMatchReplay()
})
`,
  )
  const result = await vitest(['test/ci.test.ts'], { CI: 'true', REPLAYKIT_UPDATE: 'disabled' })
  expect(result.code).not.toBe(0)
  expect(fake.requests).toEqual([])
  expect(result.output).toContain('REPLAYKIT_UPDATE="disabled" is not one of all, changed, new, none')
  expect(project.exists('test/__snapshots__/ci.test.ts.rpk')).toBe(false)
})
