/**
 * `npm run bench`: ReplayKit's own performance against what users would
 * otherwise pick (SPEC section 7, docs/performance.md).
 *
 *   node bench/run.mjs             full run (the 1,000-test suites take most of it); exits 1 when a target is missed
 *   node bench/run.mjs --quick     every benchmark on small sizes (a few minutes); never fails on timing
 *   node bench/run.mjs --only 1,4  some benchmarks only
 *
 * Prints a table and writes bench/results/latest.json. Needs the packages
 * built (`npm run build`). Contenders run in worker processes of their own
 * (see lib/worker-host.mjs); the live fake provider runs here.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import * as artifact from './benchmarks/artifact.mjs'
import * as diff from './benchmarks/diff.mjs'
import * as gatewayLatency from './benchmarks/gateway-latency.mjs'
import * as gatewayMemory from './benchmarks/gateway-memory.mjs'
import * as jestSuite from './benchmarks/jest-suite.mjs'
import * as journalAppend from './benchmarks/journal-append.mjs'
import * as memory from './benchmarks/memory.mjs'
import * as recordOverhead from './benchmarks/record-overhead.mjs'
import * as sdkReplay from './benchmarks/sdk-replay.mjs'
import * as startup from './benchmarks/startup.mjs'
import * as streamReplay from './benchmarks/stream-replay.mjs'
import * as vitestSuite from './benchmarks/vitest-suite.mjs'
import * as workerSetup from './benchmarks/worker-setup.mjs'
import { startFakeOpenAI } from './lib/fake-openai.mjs'
import { formatTable } from './lib/table.mjs'

/**
 * What every benchmark gets.
 *
 * @typedef {object} BenchContext
 * @property {boolean} quick small sizes and few iterations
 * @property {string} origin the live fake provider, `http://127.0.0.1:PORT`
 * @property {() => number} hits requests the fake has received so far
 * @property {string} tmp a scratch folder, removed at the end
 */

const BENCHMARKS = [
  { n: 1, name: 'replay per request through the openai SDK', module: sdkReplay },
  { n: 2, name: 'recording overhead', module: recordOverhead },
  { n: 3, name: '.rpk load and write', module: artifact },
  { n: 4, name: 'first-divergence diff', module: diff },
  { n: 5, name: 'Vitest suite wall time', module: vitestSuite },
  { n: 6, name: 'streamed replay', module: streamReplay },
  { n: 7, name: 'recording memory', module: memory },
  { n: 8, name: 'setup per test worker', module: workerSetup },
  { n: 9, name: 'Jest suite wall time', module: jestSuite },
  { n: 10, name: 'startup', module: startup },
  { n: 11, name: 'journal append', module: journalAppend },
  { n: 12, name: 'gateway: added latency, first byte, 32 streams', module: gatewayLatency },
  { n: 13, name: 'gateway: recording memory over a long session', module: gatewayMemory },
]

const RESULTS = fileURLToPath(new URL('./results', import.meta.url))

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string', default: join(RESULTS, 'latest.json') },
  },
})
const only = values.only ? new Set(values.only.split(',').map((n) => Number(n.trim()))) : undefined
const selected = BENCHMARKS.filter((b) => !only || only.has(b.n))

const started = performance.now()
const fake = await startFakeOpenAI()
const tmp = mkdtempSync(join(tmpdir(), 'replaykit-bench-'))
/** @type {BenchContext} */
const ctx = { quick: values.quick, origin: fake.url, hits: fake.hits, tmp }
const rows = []
const durations = {}
console.log(`ReplayKit bench (${values.quick ? 'quick' : 'full'}): ${selected.map((b) => b.n).join(', ')}`)
try {
  for (const bench of selected) {
    const t0 = performance.now()
    process.stdout.write(`  ${bench.n}. ${bench.name} … `)
    try {
      const produced = await bench.module.run(ctx)
      rows.push(...produced)
      console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s`)
    } catch (error) {
      console.log('FAILED')
      console.error(error instanceof Error ? (error.stack ?? error.message) : error)
      rows.push({ id: `${bench.n}-error`, title: `${bench.n}. ${bench.name}`, error: String(error?.message ?? error) })
    }
    durations[bench.n] = Math.round(performance.now() - t0)
  }
} finally {
  await fake.close()
  rmSync(tmp, { recursive: true, force: true })
}

const totalMs = Math.round(performance.now() - started)
console.log('')
console.log(formatTable(rows))
const failed = rows.filter((row) => row.error)
const missed = rows.filter((row) => row.pass === false)
console.log('')
if (values.quick)
  console.log('Quick mode: small sizes and few iterations; the figures prove the benchmarks run, not the targets.')
console.log(
  `${rows.length - failed.length} figures, ${missed.length} targets missed, ${failed.length} benchmarks failed, ${(totalMs / 1000).toFixed(1)} s`,
)

const report = {
  mode: values.quick ? 'quick' : 'full',
  date: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  },
  totalMs,
  durationsMs: durations,
  rows,
}
mkdirSync(RESULTS, { recursive: true })
writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`)
console.log(`Results: ${values.out}`)

// Quick mode proves the benchmarks still run; timing decides nothing there.
process.exitCode = failed.length > 0 || (!values.quick && missed.length > 0) ? 1 : 0
