/**
 * docs/cli.md lists every command the `replaykit` CLI defines (packages/cli/src/main.ts), and no
 * command that does not exist.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'

const ROOT = join(import.meta.dirname, '../..')

test('the command table of docs/cli.md is the set of commands main.ts defines', () => {
  const main = readFileSync(join(ROOT, 'packages/cli/src/main.ts'), 'utf8')
  const defined = [...main.matchAll(/\.command\(\s*'(\w+)/g)].map((m) => m[1] as string)
  // `report <action>` has one action.
  const expected = defined.map((name) => (name === 'report' ? 'report merge' : name)).sort()
  const doc = readFileSync(join(ROOT, 'docs/cli.md'), 'utf8')
  const table = doc.slice(doc.indexOf('| command |'), doc.indexOf('\n\n', doc.indexOf('| command |')))
  const listed = [...table.matchAll(/^\| `(report merge|\w+)/gm)].map((m) => m[1] as string).sort()
  expect(listed).toEqual(expected)
})
