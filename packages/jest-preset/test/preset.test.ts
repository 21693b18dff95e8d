import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { receiveFileReports, sendFileReport } from '../src/report-channel.js'
import { fullTestName } from '../src/test-name.js'

describe('the preset', () => {
  test('jest-preset.cjs points at the environment, the matcher setup and the reporter', () => {
    const preset = createRequire(import.meta.url)('../jest-preset.cjs') as Record<string, unknown>
    expect(preset.testEnvironment).toMatch(/dist[\\/]cjs[\\/]environment\.js$/)
    expect(preset.setupFilesAfterEnv).toEqual([expect.stringMatching(/dist[\\/]cjs[\\/]setup\.js$/)])
    expect(preset.reporters).toEqual(['default', expect.stringMatching(/dist[\\/]cjs[\\/]reporter\.js$/)])
  })
})

describe('test names', () => {
  test('join describe blocks with > and leave out the root block', () => {
    const root = { name: 'ROOT_DESCRIBE_BLOCK' }
    const outer = { name: 'agent', parent: root }
    const inner = { name: 'tools', parent: outer }
    expect(fullTestName({ name: 'calls get_weather', parent: inner })).toBe('agent > tools > calls get_weather')
    expect(fullTestName({ name: 'top level', parent: root })).toBe('top level')
  })
})

describe('worker to reporter files', () => {
  test('each test file sends one file; nothing is written without a listening reporter', () => {
    const folder = mkdtempSync(join(tmpdir(), 'rpk-jest-channel-'))
    try {
      sendFileReport({ testFile: '/p/a.test.js', runs: [] }, {})
      expect(receiveFileReports(folder)).toEqual([])
      sendFileReport({ testFile: '/p/a.test.js', runs: [], report: 'quiet' }, { REPLAYKIT_JEST_REPORT_DIR: folder })
      sendFileReport({ testFile: '/p/b.test.js', runs: [] }, { REPLAYKIT_JEST_REPORT_DIR: folder })
      expect(
        receiveFileReports(folder)
          .map((r) => r.testFile)
          .sort(),
      ).toEqual(['/p/a.test.js', '/p/b.test.js'])
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })
})
