/**
 * "Strict means no request leaves", through the real `vitest` binary and the
 * packed packages: a capture's late requests in a CI=1 strict replay are
 * refused and fail their test (or the file, once the test is over), and
 * `blockNetwork` refuses requests outside captures, in the worker and in a
 * Node child process, before any packet leaves.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createProject, type RunResult, type TempProject } from './helpers/project.js'

let project: TempProject
let jestProject: TempProject
let server: Server
let url: string
const hits: string[] = []

const VITEST = 'node_modules/vitest/vitest.mjs'

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '/')
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  project = createProject({
    name: 'strict-network',
    packageJson: { type: 'module', devDependencies: { vitest: '^5.1.1', '@replaykit/vitest': '0.1.0' } },
    packages: ['@replaykit/core', '@replaykit/vitest'],
  })
  project.write(
    'vitest.config.ts',
    `import replaykit from '@replaykit/vitest'
import { defineConfig } from 'vitest/config'
export default defineConfig({ plugins: [replaykit()] })
`,
  )
  project.write(
    'vitest.block.config.ts',
    `import replaykit from '@replaykit/vitest'
import { defineConfig } from 'vitest/config'
export default defineConfig({ plugins: [replaykit({ blockNetwork: true, allowedHosts: ['*.allowed.test'] })] })
`,
  )
  project.write(
    'test/late.test.ts',
    `import { capture } from '@replaykit/vitest'
import { expect, test } from 'vitest'
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const late = process.env.LATE === '1'

test('late request in a timer', async () => {
  const run = await capture(async () => {
    if (late) setTimeout(() => void fetch(process.env.SERVER_URL + '/in-test').catch(() => undefined), 30)
    return 'answer'
  })
  expect(run).toMatchReplay()
  await sleep(200)
})

test('late request after its test ended', async () => {
  const run = await capture(async () => {
    if (late) setTimeout(() => void fetch(process.env.SERVER_URL + '/after-test').catch(() => undefined), 50)
    return 'answer'
  })
  expect(run).toMatchReplay()
})

test('a later test keeps the file running', async () => {
  await sleep(300)
})
`,
  )
  project.write(
    'test/block.test.ts',
    `import { execFileSync } from 'node:child_process'
import { expect, test } from 'vitest'

test('a request outside any capture to a host not allowed', async () => {
  await fetch('http://api.example.test/v1/models')
})

test('loopback is allowed', async () => {
  expect((await fetch(process.env.SERVER_URL + '/loopback')).status).toBe(200)
})

test('a Node child process is blocked too', () => {
  const out = execFileSync(process.execPath, ['-e', "fetch('http://api.example.test/child').then(() => console.log('SENT'), (e) => console.log('CHILD', e.cause && e.cause.code))"], { encoding: 'utf8' })
  expect(out).toContain('CHILD RPK_NETWORK_BLOCKED')
})
`,
  )
}, 120_000)

afterAll(async () => {
  project?.dispose()
  jestProject?.dispose()
  await new Promise((resolve) => server?.close(resolve))
})

function vitest(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return project.run(VITEST, ['run', ...args], { SERVER_URL: url, ...env })
}

test('CI=1 strict replay: late requests are refused (0 reach the server) and fail their test or the file', async () => {
  const recorded = await vitest(['test/late.test.ts'])
  expect(recorded.code, recorded.output).toBe(0)
  hits.length = 0
  const replay = await vitest(['test/late.test.ts'], { CI: '1', LATE: '1' })
  expect(hits).toEqual([])
  expect(replay.code).not.toBe(0)
  expect(replay.output).toContain('Failed to keep the requests of test "late request in a timer" inside their capture')
  expect(replay.output).toMatch(
    /after it returned \(GET http:\/\/127\.0\.0\.1:\d+\/in-test\) was refused in strict mode: it was not sent/,
  )
  // The second test was over when its request came: the file reports it.
  expect(replay.output).toMatch(/\/after-test\) was refused in strict mode/)
  expect(replay.output).toContain('(run "late request after its test ended" #1)')
  expect(replay.output).toMatch(/Tests\s+1 failed \| 2 passed/)
  // The summary agrees: the run whose late request was refused is listed as diverged.
  expect(replay.output).toMatch(/2 runs · 0 recorded · 0 re-recorded · 1 replayed · 1 diverged/)
}, 120_000)

test('blockNetwork: a request outside captures fails with a clear error before any packet; loopback and children', async () => {
  hits.length = 0
  const result = await vitest(['test/block.test.ts', '--config', 'vitest.block.config.ts'])
  expect(result.code).not.toBe(0)
  expect(result.output).toContain('RPK_NETWORK_BLOCKED')
  expect(result.output).toContain('Failed to connect to api.example.test:80')
  expect(result.output).toContain('allowedHosts: ["api.example.test"]')
  expect(result.output).not.toContain('ENOTFOUND')
  expect(result.output).toMatch(/Tests\s+1 failed \| 2 passed/)
  expect(hits).toEqual(['/loopback'])
}, 120_000)

const JEST_LATE = `const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const { capture } = require('@replaykit/jest')
const late = process.env.LATE === '1'

test('late request in a timer', async () => {
  const run = await capture(async () => {
    if (late) setTimeout(() => void fetch(process.env.SERVER_URL + '/jest-in-test').catch(() => undefined), 30)
    return 'answer'
  })
  expect(run).toMatchReplay()
  await sleep(200)
})

test('late request after its test ended', async () => {
  const run = await capture(async () => {
    if (late) setTimeout(() => void fetch(process.env.SERVER_URL + '/jest-after-test').catch(() => undefined), 50)
    return 'fine'
  })
  expect(run).toMatchReplay()
})

test('a later test keeps the file running', async () => {
  await sleep(300)
})
`

const JEST_BLOCK = `const { execFileSync } = require('node:child_process')

test('a request outside any capture to a host not allowed', async () => {
  await fetch('http://api.example.test/v1/models')
})

test('loopback is allowed', async () => {
  expect((await fetch(process.env.SERVER_URL + '/jest-loopback')).status).toBe(200)
})

test('a Node child process is blocked too', () => {
  const out = execFileSync(process.execPath, ['-e', "fetch('http://api.example.test/child').then(() => console.log('SENT'), (e) => console.log('CHILD', e.cause && e.cause.code))"], { encoding: 'utf8' })
  expect(out).toContain('CHILD RPK_NETWORK_BLOCKED')
})
`

test('Jest: late requests fail the test in a CI strict replay and blockNetwork refuses other hosts', async () => {
  jestProject = createProject({
    name: 'strict-network-jest',
    packageJson: {
      devDependencies: { jest: '^30.5.2', '@replaykit/jest': '0.1.0' },
      jest: { preset: '@replaykit/jest' },
    },
    packages: ['@replaykit/core', '@replaykit/jest'],
  })
  jestProject.write('test/late.test.js', JEST_LATE)
  jestProject.write('test/block.test.js', JEST_BLOCK)
  jestProject.write(
    'jest.block.config.js',
    `module.exports = { preset: '@replaykit/jest', testEnvironmentOptions: { replaykit: { blockNetwork: true } } }\n`,
  )
  const jest = (args: string[], env: Record<string, string> = {}) =>
    jestProject.run('node_modules/jest/bin/jest.js', ['--no-cache', ...args], { SERVER_URL: url, ...env })

  const recorded = await jest(['test/late.test.js'])
  expect(recorded.code, recorded.output).toBe(0)
  hits.length = 0
  const replay = await jest(['test/late.test.js'], { CI: '1', LATE: '1' })
  expect(hits).toEqual([])
  expect(replay.code).not.toBe(0)
  expect(replay.output).toContain('Failed to keep the requests of test "late request in a timer" inside their capture')
  expect(replay.output).toMatch(/\/jest-in-test\) was refused in strict mode: it was not sent/)
  expect(replay.output).toMatch(/Tests:\s+1 failed, 2 passed/)
  expect(replay.output).toMatch(/2 runs · 0 recorded · 0 re-recorded · 1 replayed · 1 diverged/)
  // The second test was over when its request came: the file fails with it.
  expect(replay.output).toMatch(/\/jest-after-test\) was refused in strict mode: it was not sent/)
  expect(replay.output).toContain('(run "late request after its test ended" #1)')

  const blocked = await jest(['test/block.test.js', '--config', 'jest.block.config.js'])
  expect(blocked.code).not.toBe(0)
  expect(blocked.output).toContain('Failed to connect to api.example.test:80')
  expect(blocked.output).not.toContain('ENOTFOUND')
  expect(blocked.output).toMatch(/Tests:\s+1 failed, 2 passed/)
  expect(hits).toEqual(['/jest-loopback'])

  // A mistyped mode fails the run before any test, naming the option, the value and the modes.
  jestProject.write(
    'jest.bad.config.js',
    `module.exports = { preset: '@replaykit/jest', testEnvironmentOptions: { replaykit: { mode: 'strcit' } } }\n`,
  )
  hits.length = 0
  const bad = await jest(['test/late.test.js', '--config', 'jest.bad.config.js'], { LATE: '1' })
  expect(bad.code).not.toBe(0)
  expect(bad.output).toMatch(
    /mode is "strcit"; allowed: one of: record, strict, hybrid, live-compare\. Did you mean "strict"\?/,
  )
  expect(bad.output).not.toMatch(/Tests:\s+\d+ passed/)
  expect(hits).toEqual([])
}, 180_000)

test('Vitest: a mistyped mode in the plugin options fails at config time; nothing runs', async () => {
  project.write(
    'vitest.bad.config.ts',
    `import replaykit from '@replaykit/vitest'
import { defineConfig } from 'vitest/config'
export default defineConfig({ plugins: [replaykit({ mode: 'strcit' as never })] })
`,
  )
  hits.length = 0
  const result = await vitest(['test/late.test.ts', '--config', 'vitest.bad.config.ts'], { LATE: '1' })
  expect(result.code).not.toBe(0)
  expect(result.output).toMatch(
    /mode is "strcit"; allowed: one of: record, strict, hybrid, live-compare\. Did you mean "strict"\?/,
  )
  expect(result.output).not.toContain('✓')
  expect(hits).toEqual([])
}, 120_000)
