/**
 * A Vitest worker whose tests replay the global `fetch` answers them at
 * undici's dispatcher (engine/transport/fetch-dispatcher.ts) from its first
 * capture on, and never loads MSW: packed packages in a project outside the
 * workspace, a test file that uses nothing but `fetch`.
 *
 * @note Before, the dispatcher was wrapped only if something had loaded Node's
 * bundled undici before the first capture (a `fetch` call, `Headers`,
 * `Request`, `Response`). In a worker that had not, every strict replay went
 * through MSW, loaded inside the first test's first request: 150 ms and more
 * counted in the first test's timing, which failed the slowdown gate in CI.
 */
import { expect, test } from 'vitest'
import { useVitestProject } from './helpers/vitest-project.js'

const vitest = useVitestProject('vitest-fetch-replay')

// Notes every module Node resolves in the worker (import and require alike), before any test file runs.
const SETUP = `import { registerHooks } from 'node:module'
const resolved = []
registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); resolved.push(r.url); return r } })
globalThis.__mswLoaded = () => resolved.some((url) => /\\/node_modules\\/(msw|@mswjs)\\//.test(url))
`

const TEST = `import { capture } from '@replaykit/vitest'
import { expect, test } from 'vitest'

async function weather(): Promise<number[]> {
  const temps: number[] = []
  for (let i = 0; i < 3; i++) {
    const response = await fetch(\`\${process.env.FAKE_URL}/weather?city=c\${i}\`)
    temps.push(((await response.json()) as { tempC: number }).tempC)
  }
  return temps
}

test('replays fetch', async () => {
  const run = await capture(weather)
  expect(run).toMatchReplay()
  if (process.env.CI) console.log(\`MSW loaded in the replaying worker: \${globalThis.__mswLoaded()}\`)
})
`

test('a worker replaying only fetch answers it without MSW, from its first capture', async () => {
  vitest.project.write(
    'vitest.config.ts',
    `import replaykit from '@replaykit/vitest'
import { defineConfig } from 'vitest/config'
export default defineConfig({ plugins: [replaykit()], test: { setupFiles: ['./track-modules.ts'] } })
`,
  )
  vitest.project.write('track-modules.ts', SETUP)
  vitest.project.write('test/weather.test.ts', TEST)
  const record = await vitest.vitest(['test/weather.test.ts'])
  expect(record.code, record.output).toBe(0)
  const served = vitest.fake.requests.length
  const replay = await vitest.vitest(['test/weather.test.ts'], { CI: 'true' })
  expect(replay.code, replay.output).toBe(0)
  expect(replay.output).toContain('MSW loaded in the replaying worker: false')
  expect(vitest.fake.requests.length).toBe(served)
}, 120_000)
