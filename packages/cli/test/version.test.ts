import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { VERSION } from '../src/version.js'
import { ROOT } from './helpers.js'

test('VERSION matches package.json', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'packages', 'cli', 'package.json'), 'utf8')) as { version: string }
  expect(VERSION).toBe(pkg.version)
})
