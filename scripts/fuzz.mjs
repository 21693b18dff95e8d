// `npm run fuzz`: the fuzz targets of packages/core/test/fuzz with 100,000 cases in total
// (REPLAYKIT_FUZZ_RUNS to change; REPLAYKIT_FUZZ_SEED to replay a run), then the figures:
// cases, typed errors, crashes (must be 0) and the slowest call per target (must be under 100 ms).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'replaykit-fuzz-'))
const report = join(dir, 'figures.json')
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs')
const result = spawnSync(process.execPath, [vitest, 'run', 'packages/core/test/fuzz/fuzz.test.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    REPLAYKIT_FUZZ_RUNS: process.env.REPLAYKIT_FUZZ_RUNS ?? '100000',
    REPLAYKIT_FUZZ_REPORT: report,
    // New seeds each run: npm test keeps one fixed seed (test/setup/fast-check-seed.ts).
    REPLAYKIT_RANDOM_SEED: '1',
  },
})
try {
  const figures = JSON.parse(readFileSync(report, 'utf8'))
  console.log(`\nfuzz: ${figures.total.toLocaleString('en')} cases, ${figures.crashes} crashes`)
  for (const row of figures.targets) {
    console.log(
      `  ${row.target.padEnd(36)} ${String(row.cases).padStart(7)} cases  ${String(row.typedErrors).padStart(6)} typed errors  ${row.crashes} crashes  max ${row.maxMs} ms`,
    )
  }
} catch {
  console.log('\nfuzz: no figures (a target failed; see above)')
} finally {
  rmSync(dir, { recursive: true, force: true })
}
process.exitCode = result.status ?? 1
