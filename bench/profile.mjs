/**
 * Where a replayed request's time goes: run one contender of benchmark 1 in
 * this process and profile a block of requests with V8's sampling profiler
 * (the inspector's Profiler, what `--cpu-prof` writes), then print the self
 * time per package and the top functions. Writes the `.cpuprofile` too, for
 * a flame graph (Chrome DevTools, speedscope).
 *
 *   npm run build && node bench/profile.mjs                     replaykit-replay, buffered
 *   node bench/profile.mjs --contender msw-handler --stream
 *   node bench/profile.mjs --concurrency 20                     20 captures in flight at once (benchmark 1's concurrent row)
 *   node bench/profile.mjs --setup                              a worker's setup: import + first capture
 *   node bench/profile.mjs --setup --whole                      the same worker's whole process (--cpu-prof)
 *
 * Not part of `npm run bench`: a profile is read by a person, not checked.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startFakeOpenAI } from './lib/fake-openai.mjs'
import { summarize, whereItGoes } from './lib/profile-summary.mjs'
import { measureOnce } from './lib/workers.mjs'

const { values } = parseArgs({
  options: {
    contender: { type: 'string', default: 'replaykit-replay' },
    stream: { type: 'boolean', default: false },
    requests: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '1' },
    warmup: { type: 'string', default: '0' },
    setup: { type: 'boolean', default: false },
    whole: { type: 'boolean', default: false },
    out: { type: 'string', default: join(tmpdir(), 'replaykit-profile.cpuprofile') },
    top: { type: 'string', default: '25' },
  },
})

const fake = await startFakeOpenAI()
const dir = mkdtempSync(join(tmpdir(), 'replaykit-profile-'))
try {
  // Recorded in a worker of its own, as the bench does: recording here would leave ReplayKit's
  // interception (and MSW's patches of Headers, Request and Response) in this process, and every
  // other contender's profile would pay for them.
  await measureOnce(
    fileURLToPath(new URL('./contenders/record-fixtures.mjs', import.meta.url)),
    {
      origin: fake.url,
      dir,
      count: 50,
    },
    {},
  )
  const profile = values.setup ? profileSetup() : await profileRequests()
  writeFileSync(values.out, JSON.stringify(profile))
  const summary = summarize(profile, Number(values.top))
  console.log(`${values.setup ? 'setup of a worker' : `${values.requests} requests`}: ${summary.totalMs} ms sampled`)
  console.log('\nself time by package')
  for (const row of summary.packages)
    console.log(`  ${String(row.share).padStart(5)}%  ${String(row.ms).padStart(9)} ms  ${row.name}`)
  if (!values.setup) {
    console.log('\nwhere it goes (innermost part of the work on the stack)')
    for (const row of whereItGoes(profile))
      console.log(`  ${String(row.share).padStart(5)}%  ${String(row.ms).padStart(9)} ms  ${row.name}`)
  }
  console.log('\ntop functions by self time')
  for (const row of summary.functions)
    console.log(`  ${String(row.share).padStart(5)}%  ${String(row.ms).padStart(9)} ms  ${row.name}`)
  console.log(`\nprofile: ${values.out}`)
} finally {
  await fake.close()
  rmSync(dir, { recursive: true, force: true })
}

/** A block of requests of one contender, set up first (untimed), profiled from the first request: cold code included. */
async function profileRequests() {
  const contender = await import(`./contenders/${values.contender}.mjs`)
  const name = values.stream ? 'streamed' : 'buffered'
  const concurrency = Number(values.concurrency)
  const state = await contender.setup({ origin: fake.url, dir, name, stream: values.stream, count: 50, concurrency })
  for (let i = 0; i < Number(values.warmup); i++) await state.iteration()
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 100 })
  await session.post('Profiler.start')
  const started = performance.now()
  // An iteration asks `concurrency` questions at once: as many iterations as make `requests` requests.
  const iterations = Math.max(1, Math.round(Number(values.requests) / concurrency))
  for (let i = 0; i < iterations; i++) await state.iteration()
  const ms = performance.now() - started
  const { profile } = await session.post('Profiler.stop')
  session.disconnect()
  await state.teardown?.()
  const label = concurrency > 1 ? `${name}, ${concurrency} concurrent` : name
  console.log(`${values.contender} ${label}: ${(ms / (iterations * concurrency)).toFixed(3)} ms/request while profiled`)
  return profile
}

/**
 * A fresh process (lib/setup-probe.mjs) profiled from the start of ReplayKit's import to the first
 * answered capture: the part benchmark 8 times, without Node's own start or the SDK's import.
 * `--whole` profiles the whole process (`--cpu-prof`) instead.
 */
function profileSetup() {
  const profiles = mkdtempSync(join(tmpdir(), 'replaykit-cpuprof-'))
  const probe = fileURLToPath(new URL('./lib/setup-probe.mjs', import.meta.url))
  const file = join(profiles, 'setup.cpuprofile')
  const flags = values.whole ? ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', profiles] : []
  const env = values.whole ? process.env : { ...process.env, SETUP_PROFILE: file }
  const child = spawnSync(process.execPath, [...flags, probe, 'replaykit', dir, fake.url], { encoding: 'utf8', env })
  if (child.status !== 0) throw new Error(`setup probe failed:\n${child.stderr}`)
  console.log(`setup probe: ${child.stdout.trim()}`)
  const written = values.whole
    ? join(
        profiles,
        readdirSync(profiles).find((entry) => entry.endsWith('.cpuprofile')),
      )
    : file
  const profile = JSON.parse(readFileSync(written, 'utf8'))
  rmSync(profiles, { recursive: true, force: true })
  return profile
}
