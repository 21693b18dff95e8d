/**
 * The benchmark suite still runs: `node bench/run.mjs --quick` exits 0 and
 * prints a figure for every row. Timing decides nothing here (quick mode never
 * fails on a target); the numbers themselves come from `npm run bench`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { runNode } from './e2e/helpers/project.js'

const ROOT = join(import.meta.dirname, '..')

/** Every figure the bench reports, by row id. */
const ROWS = [
  '1-buffered-msw',
  '1-buffered-nock',
  '1-buffered-aimock',
  '1-buffered-polly',
  '1-buffered-live',
  '1-buffered-first-msw',
  '1-buffered-first-aimock',
  '1-streamed-msw',
  '1-streamed-nock',
  '1-streamed-aimock',
  '1-streamed-polly',
  '1-streamed-live',
  '1-streamed-first-msw',
  '1-streamed-first-aimock',
  '1-concurrent-msw',
  '1-concurrent-aimock',
  '1-concurrent-polly',
  '1-concurrent-live',
  '2-buffered',
  '2-streamed',
  '3-load',
  '3-write',
  '4-linear',
  '4-large',
  '5-vitest-100-msw',
  '5-vitest-100-aimock',
  '5-vitest-100-live',
  '5-vitest-1000-msw',
  '5-vitest-1000-aimock',
  '5-vitest-1000-live',
  '6-raw',
  '6-sdk',
  '7-records',
  '7-embeddings',
  '7-binary',
  '8-worker-setup',
  '9-jest-100-aimock',
  '9-jest-100-live',
  '9-jest-1000-aimock',
  '9-jest-1000-live',
]

const out = mkdtempSync(join(tmpdir(), 'replaykit-bench-quick-'))
afterAll(() => rmSync(out, { recursive: true, force: true }))

// The JSON goes to a temp file: a quick run must not replace the figures of a full one.
const runQuickBench = () => runNode(ROOT, 'bench/run.mjs', ['--quick', '--out', join(out, 'quick.json')])

test('the quick bench runs every benchmark and prints every row', { timeout: 480_000 }, async () => {
  const { code, output } = await runQuickBench()
  expect(code, output).toBe(0)
  for (const id of ROWS) expect(output, `row ${id} missing`).toMatch(new RegExp(`^${id}\\s`, 'm'))
  const report = JSON.parse(readFileSync(join(out, 'quick.json'), 'utf8')) as { rows: { id: string }[] }
  expect(report.rows.map((row) => row.id)).toEqual(ROWS)
})
