/**
 * docs/api.md shows test/docs/api-example.ts verbatim, and the example runs: it records a call to
 * a loopback server, writes and loads the .rpk, and replays it with the server closed.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { recordThenReplay } from './api-example.js'

const ROOT = join(import.meta.dirname, '../..')

test('docs/api.md includes the example file verbatim', () => {
  const doc = readFileSync(join(ROOT, 'docs/api.md'), 'utf8')
  const example = readFileSync(join(ROOT, 'test/docs/api-example.ts'), 'utf8')
  expect(doc).toContain(`\`\`\`ts\n${example}\`\`\``)
})

test('the example records, loads and replays a run', async () => {
  expect(await recordThenReplay()).toBe('sunny, 2 steps, 0 problems')
})
