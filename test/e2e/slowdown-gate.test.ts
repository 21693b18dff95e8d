/**
 * The slowdown gate with the documented settings (`maxRatio: 2, minMs: 50`),
 * through the packed Vitest plugin: unchanged code passes every CI replay on
 * a loaded machine (two busy-loop processes beside it, on top of whatever
 * else runs), and a 300 ms sleep added to it fails.
 *
 * @note Own time is the run's wall time less the time its HTTP clients waited
 * on requests, measured alike in record and replay (docs/engine.md). Before,
 * 20 sequential fetches replayed at 1.4–2.8× their recorded own time and
 * failed 2 of 3 CI replays.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { afterEach, expect, test } from 'vitest'
import { useVitestProject } from './helpers/vitest-project.js'

const gate = useVitestProject('slowdown-gate')

const CONFIG = `import replaykit from '@replaykit/vitest'
import { defineConfig } from 'vitest/config'
export default defineConfig({
  plugins: [replaykit({ slowdown: { maxRatio: 2, minMs: 50 } })],
  // A loaded machine may take its time; the gate, not a timeout, is what is tested.
  test: { testTimeout: 60_000 },
})
`

const TEST = `import { capture } from '@replaykit/vitest'
import { expect, test } from 'vitest'

async function weather(): Promise<number[]> {
  const temps: number[] = []
  for (let i = 0; i < 20; i++) {
    const response = await fetch(\`\${process.env.FAKE_URL}/weather?city=c\${i}\`)
    temps.push(((await response.json()) as { tempC: number }).tempC)
  }
  // The change the gate must catch: code that now sleeps.
  const sleep = Number(process.env.SLEEP_MS ?? 0)
  if (sleep > 0) await new Promise((resolve) => setTimeout(resolve, sleep))
  return temps
}

// Twenty recordings of the same code, each replayed and gated on its own.
test.each(Array.from({ length: 20 }, (_, i) => i + 1))('twenty sequential fetches, copy %i', async () => {
  const run = await capture(weather)
  expect(run).toMatchReplay()
})
`

/** Busy-loop children keeping every core of the machine loaded, as other CI jobs do. */
let load: ChildProcess[] = []

afterEach(() => {
  for (const child of load) child.kill('SIGKILL')
  load = []
})

function loadMachine(count: number): void {
  for (let i = 0; i < count; i++) {
    load.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }))
  }
}

test('unchanged code passes 40 CI replays on a loaded machine; a 300 ms sleep added fails', async () => {
  gate.project.write('vitest.config.ts', CONFIG)
  gate.project.write('test/gate.test.ts', TEST)
  const record = await gate.vitest(['test/gate.test.ts'])
  expect(record.code, record.output).toBe(0)

  // As many busy loops as the CI runner has cores: the test's thread waits for a CPU half the time.
  loadMachine(2)
  // Two CI runs of the 20 recordings: 40 gated replays, in two processes.
  for (let i = 0; i < 2; i++) {
    const replay = await gate.vitest(['test/gate.test.ts'], { CI: 'true' })
    expect(replay.code, replay.output).toBe(0)
    expect(replay.output).toContain('20 passed')
  }

  const slow = await gate.vitest(['test/gate.test.ts'], { CI: 'true', SLEEP_MS: '300' })
  expect(slow.code, slow.output).toBe(1)
  expect(slow.output).toContain('20 failed')
  expect(slow.output).toMatch(/The run got slower: its own time \(network excluded\) was [\d.]+ ms/)
  expect(slow.output).toMatch(/the gate allows 2\.00× and ignores slowdowns under 50\.0 ms/)
}, 600_000)
