import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { SCHEMA_VERSION } from '@replaykit/core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { agentRun, writeRuns, writeText } from './fixtures.js'
import { cliAsync, ensureBuilt, tempDir } from './helpers.js'

let dir: string
let good: string

/** Damaged copies of a good recording, and what loading each must say. */
const cases: Array<{
  name: string
  file: string
  make: (text: string) => string | undefined
  code: string
  says: string
}> = [
  {
    name: 'missing',
    file: 'missing.rpk',
    make: () => undefined,
    code: 'RPK_UNREADABLE',
    says: 'the file does not exist',
  },
  {
    name: 'corrupt',
    file: 'corrupt.rpk',
    make: (text) => text.replace('"runs": {', '"runs": {{'),
    code: 'RPK_INVALID_JSON',
    says: 'invalid JSON at line',
  },
  {
    name: 'truncated',
    file: 'truncated.rpk',
    make: (text) => text.slice(0, Math.floor(text.length / 2)),
    code: 'RPK_TRUNCATED',
    says: 'the file is truncated',
  },
  { name: 'empty', file: 'empty.rpk', make: () => '', code: 'RPK_TRUNCATED', says: 'the file is empty' },
  {
    name: 'tampered',
    file: 'tampered.rpk',
    make: (text) => text.replace('How do I re-record?', 'How do I cheat?'),
    code: 'RPK_HASH_MISMATCH',
    says: 'its content hash does not match',
  },
  {
    name: 'future version',
    file: 'future.rpk',
    make: (text) => text.replace(`"schemaVersion": "${SCHEMA_VERSION}"`, '"schemaVersion": "3.1.0"'),
    code: 'RPK_FUTURE_VERSION',
    says: `schema version 3.1.0, newer than ${SCHEMA_VERSION}`,
  },
  {
    name: 'schema violation',
    file: 'schema.rpk',
    make: (text) => text.replace('"index": 1', '"index": "one"'),
    code: 'RPK_SCHEMA',
    says: '$.runs["agent answers from the docs 1"].index',
  },
  {
    name: 'not a recording',
    file: 'package.json',
    make: () => '{ "name": "app" }\n',
    code: 'RPK_SCHEMA',
    says: '$.schemaVersion is missing',
  },
  {
    name: 'a folder',
    file: 'folder.rpk',
    make: () => undefined,
    code: 'RPK_UNREADABLE',
    says: 'it is a folder, not a file',
  },
]

beforeAll(async () => {
  await ensureBuilt()
  dir = tempDir()
  good = writeRuns(dir, 'good.rpk', [agentRun()])
  const text = readFileSync(good, 'utf8')
  for (const item of cases) {
    const damaged = item.make(text)
    if (damaged !== undefined) writeText(dir, item.file, damaged)
  }
  mkdirSync(join(dir, 'folder.rpk'))
})
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

function contents(): Record<string, string | null> {
  const out: Record<string, string | null> = {}
  for (const item of [...cases.map((c) => c.file), 'good.rpk']) {
    try {
      out[item] = readFileSync(join(dir, item), 'utf8')
    } catch {
      out[item] = null
    }
  }
  return out
}

describe('bad input files: exit 2, one message naming the file, the cause and the fix; nothing modified', () => {
  const commands = (file: string): string[][] => [
    ['inspect', file],
    ['diff', file, 'good.rpk'],
    ['diff', 'good.rpk', file],
    ['assert', 'good.rpk', file],
    ['assert', file, 'good.rpk', '--strict'],
    ['rehash', file],
    ['migrate', file],
  ]

  test.each(cases.map((item) => [item.name, item] as const))('%s', async (_name, item) => {
    const before = contents()
    // rehash exists to fix a hash mismatch: it succeeds there (tested in rehash-migrate.test.ts).
    const runs = commands(item.file).filter((args) => !(args[0] === 'rehash' && item.code === 'RPK_HASH_MISMATCH'))
    const results = await Promise.all(
      runs.map(async (args) => ({
        args,
        text: await cliAsync(args, dir),
        json: await cliAsync([...args, '--json'], dir),
      })),
    )
    for (const { args, text: result, json } of results) {
      const label = args.join(' ')
      expect(result.code, label).toBe(2)
      expect(result.stdout, label).toBe('')
      const lines = result.stderr.trimEnd().split('\n')
      expect(lines[0], label).toMatch(new RegExp(`^\\[ReplayKit\\] ${item.file.replace('.', '\\.')}: Failed to `))
      expect(result.stderr, label).toContain(item.says)
      expect(lines.at(-1), label).toMatch(/^ {2}Fix: /)
      expect(result.stderr, label).not.toMatch(/\n\s+at /)
      expect(json.code, label).toBe(2)
      expect(JSON.parse(json.stdout)).toMatchObject({
        ok: false,
        exitCode: 2,
        error: { code: item.code, file: item.file },
      })
    }
    expect(contents()).toEqual(before)
  })
})
