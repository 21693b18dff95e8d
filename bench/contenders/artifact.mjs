/**
 * Worker: load and write a large `.rpk` (benchmark 3). The whole load is what
 * a test file pays once before replaying: read, parse, version check, schema
 * validation, content hash check, then one RecordingIndex per run. The write
 * is what a recording pays at file end: content hash, canonical text, secret
 * scan, atomic write with fsync.
 *
 * The file is sealed (schema 1.1, docs/schema.md), so the load reads it 1 MB
 * at a time, checks the seal as it reads and skips what the writer checked;
 * `loadUnsealed` is the same load of the same bytes without the seal (as a 1.0
 * file, or any edited file), every check included. Every run is parsed and
 * indexed: a test file's tests replay all of its runs.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  assertNoSecrets,
  atomicWrite,
  buildRpk,
  computeContentHash,
  readRpkFile,
  serializeRpk,
  validateRpk,
  writeRpkFile,
} from '@replaykit/core'
import { createKeyFunction, RecordingIndex } from '@replaykit/core/engine'
import { makeRuns } from '../lib/make-runs.mjs'
import { round, timeMedian } from '../lib/stats.mjs'

// The load measured here includes its checks. Core remembers bytes that passed them
// (artifact/checked-cache.ts) and would skip them from the second load on; with a temporary
// folder where that cache cannot be made (this worker's own process), every load checks.
for (const name of ['TMPDIR', 'TMP', 'TEMP']) process.env[name] = '/dev/null/no-cache'

export async function setup({ dir, runs, stepsPerRun }) {
  const content = { runs: makeRuns(runs, stepsPerRun) }
  const file = join(dir, 'large.rpk')
  writeRpkFile(file, content)
  const steps = Object.values(content.runs).reduce((sum, run) => sum + run.steps.length, 0)
  return {
    async measure({ repeats }) {
      const load = () => {
        const rpk = readRpkFile(file)
        const keyOf = createKeyFunction()
        for (const run of Object.values(rpk.runs)) new RecordingIndex(run, keyOf)
      }
      // The same file as the 1.0 writer wrote it: no seal line.
      const unsealedFile = join(dir, 'unsealed.rpk')
      writeFileSync(
        unsealedFile,
        readFileSync(file, 'utf8').replace(/,\n {2}"textHash": "sha256:[0-9a-f]{64}"\n\}\n$/, '\n}\n'),
      )
      const loadUnsealed = () => {
        const rpk = readRpkFile(unsealedFile)
        const keyOf = createKeyFunction()
        for (const run of Object.values(rpk.runs)) new RecordingIndex(run, keyOf)
      }
      const out = join(dir, 'written.rpk')
      const write = () => writeRpkFile(out, content)
      const text = readFileSync(file, 'utf8')
      const parsed = JSON.parse(text)
      const keyOf = createKeyFunction()
      const built = buildRpk(content)
      const partRuns = Math.max(1, Math.ceil(repeats / 2))
      const parts = {
        load: await timeMedian(load, { runs: repeats }),
        write: await timeMedian(write, { runs: repeats, before: () => rmSync(out, { force: true }) }),
        loadUnsealed: await timeMedian(loadUnsealed, { runs: repeats }),
        // Where the time goes (each part alone).
        readAndParse: await timeMedian(() => JSON.parse(readFileSync(file, 'utf8')), { runs: partRuns }),
        validate: await timeMedian(() => validateRpk(parsed), { runs: partRuns }),
        hash: await timeMedian(() => computeContentHash(parsed), { runs: partRuns }),
        index: await timeMedian(() => Object.values(parsed.runs).map((run) => new RecordingIndex(run, keyOf)), {
          runs: partRuns,
        }),
        canonicalText: await timeMedian(() => serializeRpk(built), { runs: partRuns }),
        secretScan: await timeMedian(() => assertNoSecrets(text, file), { runs: partRuns }),
        atomicWrite: await timeMedian(() => atomicWrite(out, text), { runs: partRuns }),
      }
      return {
        steps,
        bytes: Buffer.byteLength(text),
        ms: Object.fromEntries(Object.entries(parts).map(([key, value]) => [key, round(value.median, 2)])),
      }
    },
  }
}
