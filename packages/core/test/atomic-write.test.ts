/**
 * The atomic writer after a crash and with long names: a writer killed with
 * SIGKILL mid-write leaves a temp file that the next write in the folder
 * removes; temp files of live writers and other hosts are left alone; a
 * 248-character test file name records (its temp and lock names stay within
 * NAME_MAX).
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { hostTag } from '../src/artifact/process-owner.js'
import { readRpkFile } from '../src/artifact/read.js'
import { atomicWrite } from '../src/artifact/write.js'
import { ReplayFile } from '../src/store/replay-file.js'
import { rpkPathFor } from '../src/store/rpk-path.js'
import { sampleRun } from './fixtures/sample-runs.js'

const CORE_DIST = new URL('../dist/esm/index.js', import.meta.url).href

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rpk-atomic-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const temps = (folder: string): string[] => readdirSync(folder).filter((name) => name.endsWith('.tmp'))

/**
 * Start a Node process that writes a 32 MB recording through the built core
 * writer again and again, and SIGKILL it the moment a temp file exists.
 */
async function killMidWrite(folder: string, target: string): Promise<void> {
  const script = `
    const { atomicWrite } = await import(${JSON.stringify(CORE_DIST)})
    const text = '{"runs":"' + 'x'.repeat(32 * 1024 * 1024) + '"}\\n'
    for (;;) atomicWrite(${JSON.stringify(target)}, text)`
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' })
  const exited = new Promise((resolve) => child.on('exit', resolve))
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (temps(folder).length === 0) return
      child.kill('SIGKILL')
      clearInterval(timer)
      resolve()
    }, 1)
    child.on('exit', () => reject(new Error('the writer exited before it was killed')))
  })
  await exited
}

test('kill -9 during a write: the next write leaves 0 temp files', async () => {
  const folder = join(dir, '__snapshots__')
  const target = join(folder, 'big.test.ts.rpk')
  mkdirSync(folder, { recursive: true })
  // @note The kill lands a moment after the temp file is seen: rarely just after its rename. Try again then.
  for (let attempt = 0; attempt < 5 && temps(folder).length === 0; attempt++) await killMidWrite(folder, target)
  const left = temps(folder)
  expect(left.length).toBe(1)
  expect(statSync(join(folder, left[0]!)).size).toBeLessThanOrEqual(32 * 1024 * 1024 + 12)

  atomicWrite(join(folder, 'other.test.ts.rpk'), '{}\n')
  expect(temps(folder)).toEqual([])
})

test('temp files of live writers, of other hosts and of 0.1.0 writers are judged by their owner', () => {
  const folder = join(dir, '__snapshots__')
  mkdirSync(folder)
  const dead = 2 ** 22 + 12_345 // above the default pid_max: no process has it
  const names = {
    live: `.rpk-${hostTag()}-${process.pid}-aaaa.tmp`,
    dead: `.rpk-${hostTag()}-${dead}-bbbb.tmp`,
    otherHost: `.rpk-${hostTag() === '00000000' ? '11111111' : '00000000'}-${dead}-cccc.tmp`,
    legacyDead: `.agent.test.ts.rpk.${dead}.123456.tmp`,
    legacyLive: `.agent.test.ts.rpk.${process.pid}.123456.tmp`,
    notOurs: `.notes.${dead}.1.tmp`,
  }
  for (const name of Object.values(names)) writeFileSync(join(folder, name), 'half')
  atomicWrite(join(folder, 'agent.test.ts.rpk'), '{}\n')
  expect(temps(folder).sort()).toEqual([names.legacyLive, names.live, names.notOurs, names.otherHost].sort())
})

test('a 248-character test file name records: temp and lock names stay within NAME_MAX', () => {
  const testFile = join(dir, `${'a'.repeat(240)}.test.ts`)
  expect(testFile.length - dir.length - 1).toBe(248)
  const file = new ReplayFile(testFile, { update: 'new' })
  file.store('a 1', sampleRun('a', 1))
  const saved = file.save()
  expect(saved.error).toBeUndefined()
  expect(saved.written).toBe(true)
  expect(Object.keys(readRpkFile(rpkPathFor(testFile))?.runs ?? {})).toEqual(['a 1'])
  expect(readdirSync(join(dir, '__snapshots__'))).toEqual([`${'a'.repeat(240)}.test.ts.rpk`])
  expect(existsSync(rpkPathFor(testFile))).toBe(true)
})
