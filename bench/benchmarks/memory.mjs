/**
 * Benchmark 7: recording one 50 MB response raises the peak RSS by at most 3x
 * the payload. "Raises" is against the same fetch without ReplayKit: each is
 * measured in a fresh process (the peak RSS then belongs to that one
 * response), and the figure is (peak rise when recording - peak rise of a
 * plain fetch) / payload. Three kinds of payload: a JSON listing of small
 * records, JSON embedding vectors, and binary data.
 */
import { fileURLToPath } from 'node:url'
import { round } from '../lib/stats.mjs'
import { measureOnce } from '../lib/workers.mjs'

const MEMORY = fileURLToPath(new URL('../contenders/memory.mjs', import.meta.url))
const MB = 1024 * 1024

const KINDS = {
  records: 'JSON records',
  embeddings: 'JSON embeddings',
  binary: 'binary',
}

/** @param {import('../run.mjs').BenchContext} ctx */
export async function run(ctx) {
  const bytes = (ctx.quick ? 5 : 50) * MB
  const options = { execArgv: ['--expose-gc'] }
  const rows = []
  for (const [kind, label] of Object.entries(KINDS)) {
    const config = { origin: ctx.origin, bytes, kind }
    const recorded = await measureOnce(MEMORY, { ...config, recording: true }, {}, options)
    const plain = await measureOnce(MEMORY, { ...config, recording: false }, {}, options)
    const ratio = (recorded.raise - plain.raise) / bytes
    const mb = (value) => round(value / MB, 1)
    rows.push({
      id: `7-${kind}`,
      title: `7. record one ${bytes / MB} MB response (${label}): extra peak RSS / payload`,
      value: round(ratio, 2),
      unit: 'x',
      target: '<= 3x',
      pass: ratio <= 3,
      note: `peak RSS rise ${mb(recorded.raise)} MB recording (stored as ${recorded.stored}), ${mb(plain.raise)} MB plain fetch`,
      details: { bytes, kind, recorded, plain },
    })
  }
  return rows
}
