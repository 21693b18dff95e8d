/**
 * Benchmark 8: setup per test worker, what a test file pays before its first
 * test's request is answered: import, load the recordings, install the
 * interception, first capture. Each sample is a fresh process
 * (lib/setup-probe.mjs), the contenders taking turns.
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { median, round } from '../lib/stats.mjs'
import { measureOnce } from '../lib/workers.mjs'

const PROBE = fileURLToPath(new URL('../lib/setup-probe.mjs', import.meta.url))
const FIXTURES = fileURLToPath(new URL('../contenders/record-fixtures.mjs', import.meta.url))
const KINDS = ['replaykit', 'msw', 'aimock']

/** @param {import('../run.mjs').BenchContext} ctx */
export async function run(ctx) {
  const dir = join(ctx.tmp, 'worker-setup')
  // 25 recorded questions: one test file's worth.
  await measureOnce(FIXTURES, { origin: ctx.origin, dir, count: 25 }, {})
  const samples = Object.fromEntries(KINDS.map((kind) => [kind, []]))
  const rounds = ctx.quick ? 1 : 9
  for (let i = 0; i < rounds; i++) {
    for (const kind of [...KINDS.slice(i % KINDS.length), ...KINDS.slice(0, i % KINDS.length)]) {
      const child = spawnSync(process.execPath, [PROBE, kind, dir, ctx.origin], { encoding: 'utf8' })
      if (child.status !== 0) throw new Error(`setup probe ${kind} failed:\n${child.stderr.slice(-2000)}`)
      samples[kind].push(JSON.parse(child.stdout.trim().split('\n').at(-1)))
    }
  }
  const med = (kind, key) => round(median(samples[kind].map((sample) => sample[key])), 1)
  const rk = {
    ms: med('replaykit', 'ms'),
    importMs: med('replaykit', 'importMs'),
    readMs: med('replaykit', 'readMs'),
    captureMs: med('replaykit', 'captureMs'),
    cpuMs: med('replaykit', 'cpuMs'),
  }
  // CPU time beside wall time: on a shared machine a worker waits for a core, and wall time shows the wait.
  const others = KINDS.slice(1)
    .map(
      (kind) =>
        `${kind} ${med(kind, 'ms')} ms, CPU ${med(kind, 'cpuMs')} (import ${med(kind, 'importMs')}, first request ${med(kind, 'firstMs')})`,
    )
    .join('; ')
  return [
    {
      id: '8-worker-setup',
      title: '8. setup per test worker: import + first capture (ReplayKit)',
      value: rk.ms,
      unit: 'ms',
      target: '<= 30 ms',
      pass: rk.ms <= 30,
      note: `ReplayKit CPU ${rk.cpuMs} ms (import ${rk.importMs}, .rpk read ${rk.readMs}, first capture ${rk.captureMs}); ${others} (median of ${rounds} fresh processes)`,
      details: { samples, rounds },
    },
  ]
}
