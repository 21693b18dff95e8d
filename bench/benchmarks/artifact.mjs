/**
 * Benchmark 3: a `.rpk` of 10,000 steps: load + validate + index, and the
 * canonical write.
 */
import { fileURLToPath } from 'node:url'
import { round } from '../lib/stats.mjs'
import { measureOnce } from '../lib/workers.mjs'

const ARTIFACT = fileURLToPath(new URL('../contenders/artifact.mjs', import.meta.url))

/** @param {import('../run.mjs').BenchContext} ctx */
export async function run(ctx) {
  // 100 runs of 100 steps: a large test file's worth of recordings.
  const shape = ctx.quick ? { runs: 10, stepsPerRun: 100 } : { runs: 100, stepsPerRun: 100 }
  const result = await measureOnce(ARTIFACT, { dir: ctx.tmp, ...shape }, { repeats: ctx.quick ? 2 : 3 })
  const mb = round(result.bytes / 1e6, 1)
  const { ms } = result
  return [
    {
      id: '3-load',
      title: `3. .rpk of ${result.steps.toLocaleString('en')} steps: load + validate + index`,
      value: ms.load,
      unit: 'ms',
      target: '<= 100 ms',
      pass: ms.load <= 100,
      note: `${mb} MB, sealed; the same file unsealed (schema 1.0, or edited: every check) ${ms.loadUnsealed} ms; parts of that: read+parse ${ms.readAndParse}, schema ${ms.validate}, hash ${ms.hash}, index ${ms.index} ms`,
      details: result,
    },
    {
      id: '3-write',
      title: `3. .rpk of ${result.steps.toLocaleString('en')} steps: canonical write`,
      value: ms.write,
      unit: 'ms',
      target: '<= 100 ms',
      pass: ms.write <= 100,
      note: `step by step through one reused block, sealed; for reference, whole-file parts: content hash ${ms.hash}, canonical text + seal ${ms.canonicalText}, secret scan ${ms.secretScan}, atomic write ${ms.atomicWrite} ms`,
      details: result,
    },
  ]
}
