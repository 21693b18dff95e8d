// `npm run demo`: ReplayKit in one minute, offline.
//
// 1. Replays the two example suites (Vitest + OpenAI, Jest + Anthropic) from their committed
//    recordings, as CI would: no network, nothing written.
// 2. Changes the Vitest agent's system prompt and replays again, so that the first-divergence
//    report shows, then explains in a line what happened.
// 3. Puts the prompt back (also on Ctrl-C), checks that the working tree is as it was, exits 0.
import { execFileSync, spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const promptFile = join(root, 'examples/vitest-agent/src/prompt.ts')
const color = process.stdout.isTTY && !process.env.NO_COLOR
const bold = (text) => (color ? `\x1b[1m${text}\x1b[22m` : text)

const suites = {
  vitest: { dir: 'examples/vitest-agent', bin: ['node_modules/vitest/vitest.mjs', 'run'] },
  jest: { dir: 'examples/jest-agent', bin: ['node_modules/jest/bin/jest.js'] },
}

/** Run one example suite as CI does; echo its output and return it with the exit code. */
function replay(name, extra = []) {
  const { dir, bin } = suites[name]
  const [script, ...args] = bin
  return new Promise((resolve, reject) => {
    const env = { ...process.env, CI: 'true', ...(color ? { FORCE_COLOR: '1' } : {}) }
    delete env.REPLAYKIT_UPDATE
    const child = spawn(process.execPath, [join(root, script), ...args, ...extra], { cwd: join(root, dir), env })
    let output = ''
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk) => {
        output += chunk
        process.stdout.write(chunk)
      })
    }
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, output }))
  })
}

function gitStatus() {
  try {
    return execFileSync('git', ['status', '--porcelain', '--', 'examples'], { cwd: root, encoding: 'utf8' })
  } catch {
    return undefined // not a git checkout: nothing to compare
  }
}

const original = readFileSync(promptFile, 'utf8')
const restore = () => writeFileSync(promptFile, original)
process.on('SIGINT', () => {
  restore()
  process.exit(130)
})

const before = gitStatus()
let ok = true
try {
  console.log(bold('\n▶ 1/3  Replaying examples/vitest-agent offline (CI=true: no network, nothing written)\n'))
  ok = (await replay('vitest')).code === 0 && ok
  console.log(bold('\n▶ 2/3  Replaying examples/jest-agent offline (a plain CommonJS Jest project)\n'))
  ok = (await replay('jest')).code === 0 && ok

  console.log(bold('\n▶ 3/3  Changing the Vitest agent’s system prompt ("concise" → "chatty") and replaying again\n'))
  writeFileSync(
    promptFile,
    original.replace('You are a concise weather assistant.', 'You are a chatty weather assistant.'),
  )
  // One test is enough to show the report.
  const changed = await replay('vitest', ['-t', 'answers from the get_weather tool'])
  const diverged = changed.code !== 0 && changed.output.includes('First divergence at step 1')
  if (diverged) {
    console.log(
      bold(
        '\n↑ Expected failure: the prompt sent to the model (step 1, model.request, section "prompt", $.messages[0].content) no longer matches the recording, so the replay stopped before any request could leave the process. If the change were intended, `replaykit test --update-replays` would re-record it.',
      ),
    )
  } else {
    console.log('\nThe changed prompt did not produce the expected first-divergence report.')
    ok = false
  }
} finally {
  restore()
}

const after = gitStatus()
if (before !== undefined && after !== before) {
  console.log(`\nThe working tree changed during the demo:\n${after}`)
  ok = false
} else {
  console.log(bold('\n✔ Prompt restored; the working tree is as it was.'))
}
process.exit(ok ? 0 : 1)
