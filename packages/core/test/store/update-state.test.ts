import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { rpkPathFor, sourceFor } from '../../src/store/rpk-path.js'
import { keyBelongsTo, legacyRunName, runKey, runName } from '../../src/store/run-key.js'
import {
  isCi,
  recordCommand,
  resolveReplaceInvalid,
  resolveUpdateState,
  updateCommand,
} from '../../src/store/update-state.js'

describe('resolveUpdateState', () => {
  test('records what is missing locally, writes nothing in CI, re-records on request', () => {
    expect(resolveUpdateState({ env: {} })).toBe('new')
    expect(resolveUpdateState({ env: { CI: 'true' } })).toBe('none')
    expect(resolveUpdateState({ env: { CI: '1' } })).toBe('none')
    expect(resolveUpdateState({ env: {}, ci: true })).toBe('none')
    expect(resolveUpdateState({ env: { REPLAYKIT_UPDATE: '1' } })).toBe('changed')
    expect(resolveUpdateState({ env: {}, argv: ['node', 'vitest', 'run', '--', '--update-replays'] })).toBe('changed')
    expect(resolveUpdateState({ env: {}, argv: ['node', 'vitest', 'run', '--', '--update-replays=all'] })).toBe('all')
    expect(resolveUpdateState({ env: { CI: '1' }, argv: ['--update-replays=changed'] })).toBe('changed')
  })

  test('--update-replays=<value> outside all, changed, new, none is a typed error', () => {
    expect(() => resolveUpdateState({ env: {}, argv: ['--update-replays=everything'] })).toThrow(
      expect.objectContaining({ code: 'RPK_BAD_CONFIG', file: '--update-replays' }),
    )
  })

  test('an explicit re-record wins over CI', () => {
    expect(resolveUpdateState({ env: { CI: 'true', REPLAYKIT_UPDATE: '1' } })).toBe('changed')
    expect(resolveUpdateState({ env: { CI: 'true', REPLAYKIT_UPDATE: 'all' } })).toBe('all')
  })

  test('false-like values are not set', () => {
    for (const value of ['', '0', 'false', 'FALSE', 'no', 'off']) {
      expect(isCi({ CI: value })).toBe(false)
      expect(resolveUpdateState({ env: { REPLAYKIT_UPDATE: value } })).toBe('new')
    }
  })

  test('a value outside the documented ones is a typed error, never a default', () => {
    for (const value of ['disabled', 'ture', 'enabled', '2', 'al']) {
      let error: unknown
      try {
        resolveUpdateState({ env: { CI: 'true', REPLAYKIT_UPDATE: value } })
      } catch (caught) {
        error = caught
      }
      expect(error).toMatchObject({ code: 'RPK_BAD_CONFIG', file: 'REPLAYKIT_UPDATE' })
      expect(String(error)).toContain(
        `REPLAYKIT_UPDATE=${JSON.stringify(value)} is not one of all, changed, new, none, 1, true, yes, on, 0, false, no, off.`,
      )
    }
  })

  test('REPLAYKIT_UPDATE names every state; yes-values mean changed', () => {
    for (const value of ['1', 'true', 'YES', 'on', 'changed']) {
      expect(resolveUpdateState({ env: { CI: '1', REPLAYKIT_UPDATE: value } })).toBe('changed')
    }
    for (const value of ['all', ' All ']) {
      expect(resolveUpdateState({ env: { CI: '1', REPLAYKIT_UPDATE: value } })).toBe('all')
    }
    expect(resolveUpdateState({ env: { CI: '1', REPLAYKIT_UPDATE: 'new' } })).toBe('new')
    expect(resolveUpdateState({ env: { REPLAYKIT_UPDATE: 'none' } })).toBe('none')
    expect(resolveUpdateState({ env: { CI: '1', REPLAYKIT_UPDATE: 'no' } })).toBe('none')
  })

  test('CI stays lenient: providers set it to many values', () => {
    for (const value of ['true', '1', 'woodpecker', 'yes']) expect(isCi({ CI: value })).toBe(true)
  })

  test('REPLAYKIT_REPLACE_INVALID is a strict yes/no', () => {
    expect(resolveReplaceInvalid({})).toBe(false)
    expect(resolveReplaceInvalid({ REPLAYKIT_REPLACE_INVALID: '1' })).toBe(true)
    expect(resolveReplaceInvalid({ REPLAYKIT_REPLACE_INVALID: 'off' })).toBe(false)
    expect(() => resolveReplaceInvalid({ REPLAYKIT_REPLACE_INVALID: 'please' })).toThrow(
      expect.objectContaining({ code: 'RPK_BAD_CONFIG', file: 'REPLAYKIT_REPLACE_INVALID' }),
    )
    expect(() => resolveReplaceInvalid({ REPLAYKIT_REPLACE_INVALID: 'please' })).toThrow(
      /REPLAYKIT_REPLACE_INVALID="please" is not one of 1, true, yes, on, 0, false, no, off/,
    )
  })

  test('the runners own -u is no input: only --update-replays counts', () => {
    expect(resolveUpdateState({ env: {}, argv: ['vitest', 'run', '-u'] })).toBe('new')
    expect(resolveUpdateState({ env: {}, argv: ['jest', '--updateSnapshot'] })).toBe('new')
  })
})

describe('commands in messages', () => {
  test('name the test file, quoted when needed', () => {
    expect(recordCommand('test/agent.test.ts', 'vitest')).toBe('npx vitest run test/agent.test.ts')
    expect(recordCommand('test/agent.test.ts', 'jest')).toBe('npx jest test/agent.test.ts')
    expect(updateCommand('test\\my agent.test.ts')).toBe("npx replaykit test --update-replays 'test/my agent.test.ts'")
    expect(updateCommand('test/a.test.ts', 'all')).toBe('npx replaykit test --update-replays=all test/a.test.ts')
  })
})

describe('paths and keys', () => {
  test('the .rpk sits in __snapshots__ beside the test file', () => {
    expect(rpkPathFor('/repo/test/agent.test.ts')).toBe('/repo/test/__snapshots__/agent.test.ts.rpk')
    expect(sourceFor('/repo/test/__snapshots__/agent.test.ts.rpk', '/repo/test/agent.test.ts')).toBe('../agent.test.ts')
  })

  test('a key belongs to exactly the test it was made for', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.integer({ min: 1, max: 10_000 }), (a, b, index) => {
        expect(keyBelongsTo(runKey(b, index), a)).toBe(a === b)
      }),
    )
    expect(keyBelongsTo('a 1 1', 'a')).toBe(false)
    expect(keyBelongsTo('a 1 1', 'a 1')).toBe(true)
  })
})

describe('run names from name paths', () => {
  test('different name paths never share a run name', () => {
    expect(runName(['x', 'y > z'])).not.toBe(runName(['x > y', 'z']))
    expect(runName(['a >', 'b'])).not.toBe(runName(['a', '> b']))
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1 })), fc.array(fc.string({ minLength: 1 })), (a, b) => {
        expect(runName(a) === runName(b)).toBe(JSON.stringify(a) === JSON.stringify(b))
      }),
    )
  })

  test('a name without > or \\ reads as the full test name, as keys did before', () => {
    expect(runName(['agent', 'calls get_weather'])).toBe('agent > calls get_weather')
    expect(runName(['x', 'y > z'])).toBe('x > y \\> z')
    expect(legacyRunName(['x', 'y > z'])).toBe('x > y > z')
  })
})
