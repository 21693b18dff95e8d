/**
 * The version check's functions (lazy-deps.ts `semver()`): a plain MAJOR.MINOR.PATCH is read without
 * semver, and every string gets the answer semver itself gives.
 */
import semverMajor from 'semver/functions/major.js'
import semverMinor from 'semver/functions/minor.js'
import semverValid from 'semver/functions/valid.js'
import { describe, expect, test } from 'vitest'
import { semver } from '../src/lazy-deps.js'
import { plainVersion } from '../src/plain-version.js'

const PLAIN = ['0.0.0', '1.0.0', '1.1.0', '1.0.1', '9.0.0', '10.20.30', '123456789012345.0.1']
const OTHERS = [
  'v1.1.0',
  '=1.1.0',
  ' 1.1.0 ',
  '1.1.0-beta.1',
  '1.1.0+build.5',
  '01.1.0',
  '1.01.0',
  '1.1',
  '1',
  '',
  'x.y.z',
  '1.1.0.0',
  '9007199254740992.0.0',
  '1.1.0\n',
  '１.1.0',
]

describe('plainVersion', () => {
  test.each(PLAIN)('%s is plain', (version) => {
    expect(plainVersion(version)).toEqual({ major: semverMajor(version), minor: semverMinor(version) })
  })
  test.each(OTHERS)('%j is left to semver', (version) => {
    expect(plainVersion(version)).toBeUndefined()
  })
})

describe('semver() answers as semver does', () => {
  test.each([...PLAIN, ...OTHERS])('%j', (version) => {
    const valid = semverValid(version)
    expect(semver().valid(version)).toBe(valid)
    if (valid !== null) {
      expect(semver().major(version)).toBe(semverMajor(version))
      expect(semver().minor(version)).toBe(semverMinor(version))
    }
  })
})
