/**
 * docs/plugins.md shows the three example plugins of test/docs/plugins/ verbatim, and each runs,
 * loaded by path through the real loader: the redaction policy redacts a recorded response field
 * in the written .rpk, the custom matcher replays a request whose nonce changed, and the custom
 * store keeps a test file's recordings in its own folder (e2e through both runners in
 * test/e2e/plugins.test.ts).
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadPlugins, runCapture, unloadPlugins } from '@replaykit/core/engine'
import { finishReplayFile, replayFileFor } from '@replaykit/core/runner'
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest'

const ROOT = join(import.meta.dirname, '../..')
const EXAMPLES = join(import.meta.dirname, 'plugins')
const hits: string[] = []
const server = createServer((request, response) => {
  hits.push(request.url ?? '')
  response.setHeader('content-type', 'application/json')
  response.end(JSON.stringify({ path: request.url, user: { name: 'Ada', email: 'ada@example.com' } }))
})
let url = ''

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => server.close())
afterEach(async () => {
  await unloadPlugins()
  hits.length = 0
})

const json = async (path: string): Promise<unknown> => (await fetch(`${url}${path}`)).json()

describe.each(['redact-emails', 'ignore-nonce', 'recordings-folder'])('%s', (name) => {
  test('docs/plugins.md includes the example file verbatim', () => {
    const doc = readFileSync(join(ROOT, 'docs/plugins.md'), 'utf8')
    const example = readFileSync(join(EXAMPLES, `${name}.ts`), 'utf8')
    expect(doc).toContain(`\`\`\`ts\n${example}\`\`\``)
  })
})

test('the redaction policy redacts the email of a recorded response in the written .rpk', async () => {
  await loadPlugins(['./redact-emails.ts'], EXAMPLES)
  const recorded = await runCapture(() => json('/user'), { mode: 'record' })
  const testFile = join(mkdtempSync(join(tmpdir(), 'rpk-docs-plugins-')), 'a.test.ts')
  replayFileFor(testFile, 'new').store('user 1', recorded.run)
  const { entry, error } = finishReplayFile(testFile, { root: ROOT, update: 'new', notPassed: [] })
  expect(error).toBeUndefined()
  expect(entry?.written).toBe(true)
  const text = readFileSync(join(testFile, '../__snapshots__/a.test.ts.rpk'), 'utf8')
  expect(text).toContain('[REDACTED:email]')
  expect(text).not.toContain('ada@example.com')
})

test('the custom matcher replays a request whose nonce changed, and says which requests missed', async () => {
  const recorded = await runCapture(() => json('/user?nonce=1'), { mode: 'record' })
  await loadPlugins(['./ignore-nonce.ts'], EXAMPLES)
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
  try {
    const replay = await runCapture(() => json('/user?nonce=2'), { mode: 'strict', recording: recorded.run })
    expect(replay.problems).toEqual([])
    expect(replay.value).toMatchObject({ path: '/user?nonce=1' })
    const miss = await runCapture(() => json('/other'), { mode: 'strict', recording: recorded.run })
    expect(miss.threw).toBe(true)
    expect(warn).toHaveBeenCalledWith(`[ignore-nonce] refuse: GET ${url}/other`)
  } finally {
    warn.mockRestore()
  }
  expect(hits).toEqual(['/user?nonce=1'])
})

test('the custom store is the one a test file records into and replays from', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rpk-docs-store-'))
  const cwd = process.cwd()
  process.chdir(dir)
  try {
    await loadPlugins(['./recordings-folder.ts'], EXAMPLES)
    const recorded = await runCapture(() => json('/user'), { mode: 'record' })
    const testFile = join(dir, 'test', 'a.test.ts')
    replayFileFor(testFile, 'new').store('user 1', recorded.run)
    const { error } = finishReplayFile(testFile, { root: dir, update: 'new', notPassed: [] })
    expect(error).toBeUndefined()
    expect(readFileSync(join(dir, 'recordings/a.test.ts.rpk'), 'utf8')).toContain('"user 1"')
    expect(replayFileFor(testFile, 'none').recorded('user 1')?.steps).toHaveLength(recorded.run.steps.length)
  } finally {
    process.chdir(cwd)
  }
})
