/**
 * The benchmark suite still runs: `node bench/run.mjs --quick` exits 0 and
 * prints a figure for every row. Timing decides nothing here (quick mode never
 * fails on a target); the numbers themselves come from `npm run bench`.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'

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
  '5-vitest-100-polly',
  '5-vitest-100-live',
  '5-vitest-1000-msw',
  '5-vitest-1000-aimock',
  '5-vitest-1000-polly',
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
  'startup-root-import',
  'startup-version',
  'journal-append-100',
  'journal-append-1000',
  'journal-append-3000',
  'journal-append-10000',
  'journal-append-held-3000',
  'journal-append-flat',
  'journal-append-rpk-3000',
  '12-latency-p50',
  '12-latency-p99',
  '12-first-byte',
  '12-concurrent-stall',
  '12-concurrent-wall',
  '13-heap-growth',
  '13-rss-growth',
]

const out = mkdtempSync(join(tmpdir(), 'replaykit-bench-quick-'))
afterAll(() => rmSync(out, { recursive: true, force: true }))

/** Past this the bench is stopped (a hung worker must not hang the suite); the test's timeout is above it. */
const KILL_AFTER_MS = 420_000

/**
 * `node bench/run.mjs --quick` in a clean environment. Not e2e's runNode: that stops a script after
 * 150 s, and the quick bench starts some 80 processes (workers, Vitest and Jest runs), which on a
 * shared, loaded 2-core machine takes longer than that.
 */
function runQuickBench(): Promise<{ code: number; output: string }> {
  const env: NodeJS.ProcessEnv = { NO_COLOR: '1' }
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'TEMP', 'TMP', 'LANG', 'SystemRoot', 'USERPROFILE']) {
    if (process.env[key] !== undefined) env[key] = process.env[key]
  }
  // The JSON goes to a temp file: a quick run must not replace the figures of a full one.
  const args = ['bench/run.mjs', '--quick', '--out', join(out, 'quick.json')]
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code: code ?? 1, output })
    })
  })
}

test('the quick bench runs every benchmark and prints every row', { timeout: KILL_AFTER_MS + 30_000 }, async () => {
  const { code, output } = await runQuickBench()
  expect(code, output).toBe(0)
  for (const id of ROWS) expect(output, `row ${id} missing`).toMatch(new RegExp(`^${id}\\s`, 'm'))
  const report = JSON.parse(readFileSync(join(out, 'quick.json'), 'utf8')) as { rows: { id: string }[] }
  expect(report.rows.map((row) => row.id)).toEqual(ROWS)
})
