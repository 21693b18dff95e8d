/**
 * Benchmark 8: startup. Importing the root entry of @replaykit/core (what the
 * CLI's read commands and a UI load: the format, diff, timeline; no MSW) takes
 * at most 50 ms, and `replaykit --version` at most 120 ms of wall time.
 *
 * Every sample is a fresh Node process, so module caches never help. The
 * contenders take turns in rounds with a bare `node -e 0` (the floor no
 * package can go under, shown side by side in the note) and the engine entry
 * (which loads MSW, for reference).
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { median, round } from '../lib/stats.mjs'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const BIN = fileURLToPath(new URL('../../packages/cli/bin/replaykit.js', import.meta.url))

/** Milliseconds an `import()` of `entry` takes in a fresh process, measured inside it. */
function importMs(entry) {
  const script = `const t = performance.now(); await import(${JSON.stringify(entry)}); process.stdout.write(String(performance.now() - t))`
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`import of ${entry} failed: ${result.stderr}`)
  return Number(result.stdout)
}

/** Wall milliseconds of a Node process running `args`, from spawn to exit. */
function wallMs(args) {
  const started = performance.now()
  const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' })
  const ms = performance.now() - started
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${result.stderr}`)
  return ms
}

/** @param {import('../run.mjs').BenchContext} ctx */
export async function run(ctx) {
  const rounds = ctx.quick ? 3 : 21
  const samples = { root: [], engine: [], version: [], bare: [] }
  for (let i = 0; i < rounds; i++) {
    // A rotating order: a slow phase of the machine lands on every contender.
    const turns = [
      () => samples.root.push(importMs('@replaykit/core')),
      () => samples.engine.push(importMs('@replaykit/core/engine')),
      () => samples.version.push(wallMs([BIN, '--version'])),
      () => samples.bare.push(wallMs(['-e', '0'])),
    ]
    for (let t = 0; t < turns.length; t++) turns[(t + i) % turns.length]()
  }
  const root = round(median(samples.root), 1)
  const engine = round(median(samples.engine), 1)
  const version = round(median(samples.version), 1)
  const bare = round(median(samples.bare), 1)
  return [
    {
      id: 'startup-root-import',
      title: '10. import of the root entry @replaykit/core (fresh process)',
      value: root,
      unit: 'ms',
      target: '<= 50 ms',
      pass: root <= 50,
      note: `engine entry (loads MSW) ${engine} ms; root / engine ${round(root / engine, 2)}x`,
      details: samples,
    },
    {
      id: 'startup-version',
      title: '10. `replaykit --version` wall time',
      value: version,
      unit: 'ms',
      target: '<= 120 ms',
      pass: version <= 120,
      note: `bare \`node -e 0\` ${bare} ms (the floor); --version adds ${round(version - bare, 1)} ms`,
      details: samples,
    },
  ]
}
