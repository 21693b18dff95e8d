/**
 * Every mode, option and environment value is checked where it is given: a
 * typo is an RPK_BAD_CONFIG naming the option, the value and the allowed
 * ones, and no request is sent.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { isReplayKitError } from '../../src/index.js'
import { runCapture } from '../../src/public/engine.js'
import {
  assertReplay,
  captureReplay,
  checkReporterOptions,
  serializeConfig,
  withEnvMode,
} from '../../src/public/runner.js'
import { type LocalServer, startLocalServer } from './local-server.js'

let server: LocalServer
beforeAll(async () => {
  server = await startLocalServer()
})
afterAll(() => server.close())

interface Case {
  options: Record<string, unknown>
  /** Fragments the message must contain: the option, the value, the allowed ones. */
  says: string[]
}

const captureCases: Case[] = [
  {
    options: { mode: 'strcit' },
    says: ['mode', '"strcit"', 'record, strict, hybrid, live-compare', 'Did you mean "strict"'],
  },
  { options: { mode: 42 }, says: ['mode', '42', 'record, strict'] },
  { options: { mdoe: 'record' }, says: ['unknown option "mdoe"', '"record"', 'Did you mean "mode"'] },
  { options: { pacing: 'fast' }, says: ['pacing', '"fast"', 'instant, recorded'] },
  { options: { determinism: 'no' }, says: ['determinism', '"no"', 'true or false'] },
  { options: { ignorePaths: '$.id' }, says: ['ignorePaths', '"$.id"', 'a list of strings'] },
  { options: { ignoreResponsePaths: '$.id' }, says: ['ignoreResponsePaths', '"$.id"', 'a list of strings'] },
  { options: { ignoreResponsePaths: ['$.usage['] }, says: ['ignoreResponsePaths', '"$.usage["', 'missing "]"'] },
  {
    options: { ignoreResponsePath: [] },
    says: ['unknown option "ignoreResponsePath"', 'Did you mean "ignoreResponsePaths"'],
  },
  { options: { match: { header: ['x'] } }, says: ['unknown option "match.header"', 'Did you mean "headers"'] },
  { options: { redact: { paterns: [] } }, says: ['unknown option "redact.paterns"', 'Did you mean "patterns"'] },
  {
    options: { redact: { headers: 'authorization' } },
    says: ['redact.headers', '"authorization"', 'a list of strings'],
  },
  { options: { slowdown: { maxRatio: 0.5 } }, says: ['maxRatio', '0.5'] },
  { options: { name: 7 }, says: ['name', '7', 'a string'] },
]

for (const { options, says } of captureCases) {
  test(`capture(fn, ${JSON.stringify(options)}) fails before fn runs or a request is sent`, async () => {
    const hitsBefore = server.hits.length
    let ran = false
    const fn = async () => {
      ran = true
      await fetch(`${server.url}/json`)
    }
    const error = await captureReplay(fn, { file: {} as never, testName: 't', options: options as never }).catch(
      (caught: unknown) => caught,
    )
    expect(isReplayKitError(error) && error.code).toBe('RPK_BAD_CONFIG')
    for (const fragment of says) expect((error as Error).message).toContain(fragment)
    expect(ran).toBe(false)
    expect(server.hits.length).toBe(hitsBefore)
  })
}

test('runCapture checks its own options the same way', async () => {
  let ran = false
  const error = await runCapture(
    async () => {
      ran = true
      await fetch(`${server.url}/json`)
    },
    { mode: 'strcit' as never },
  ).catch((caught: unknown) => caught)
  expect(isReplayKitError(error) && error.code).toBe('RPK_BAD_CONFIG')
  expect((error as Error).message).toMatch(/mode is "strcit".*record, strict, hybrid, live-compare/)
  expect(ran).toBe(false)
})

test('every documented redact option is accepted: redact.fields reaches the redactor', async () => {
  const result = await runCapture(async () => 'done', {
    mode: 'record',
    redact: { fields: ['sessionId'], headers: [], queryParams: [], paths: [], patterns: [], defaults: true },
    match: { ignorePaths: [], headers: [] },
  })
  expect(result.value).toBe('done')
})

const configCases: Case[] = [
  { options: { mode: 'strcit' }, says: ['mode', '"strcit"', 'record, strict, hybrid, live-compare'] },
  { options: { pacing: 'slow' }, says: ['pacing', '"slow"', 'instant, recorded'] },
  { options: { report: 'xml' }, says: ['report', '"xml"', 'summary, quiet, json'] },
  { options: { reportFile: 3 }, says: ['reportFile', '3', 'a string'] },
  { options: { determinism: 1 }, says: ['determinism', '1', 'true or false'] },
  { options: { blockNetwork: 'yes' }, says: ['blockNetwork', '"yes"', 'true or false'] },
  { options: { allowedHosts: 'localhost' }, says: ['allowedHosts', '"localhost"', 'a list of strings'] },
  { options: { blockNetwrok: true }, says: ['unknown option "blockNetwrok"', 'Did you mean "blockNetwork"'] },
  { options: { redact: { header: [] } }, says: ['unknown option "redact.header"', 'Did you mean "headers"'] },
  { options: { slowdown: 2 }, says: ['slowdown', '2', 'maxRatio'] },
  { options: { ignoreResponsePaths: [3] }, says: ['ignoreResponsePaths', '[3]', 'a list of strings'] },
  {
    options: { ignoreResponsePaths: ['choices[x]'] },
    says: ['replaykit() options: ignoreResponsePaths', '"choices[x]"', 'not an index'],
  },
  {
    options: { ignoreResponsPaths: [] },
    says: ['unknown option "ignoreResponsPaths"', 'Did you mean "ignoreResponsePaths"'],
  },
]

for (const { options, says } of configCases) {
  test(`replaykit(${JSON.stringify(options)}) fails at config time`, () => {
    let error: unknown
    try {
      serializeConfig(options as never, 'replaykit() options')
    } catch (caught) {
      error = caught
    }
    expect(isReplayKitError(error) && error.code).toBe('RPK_BAD_CONFIG')
    for (const fragment of says) expect((error as Error).message).toContain(fragment)
  })
}

test('REPLAYKIT_MODE with an unknown mode names the variable, the value and the modes', () => {
  const config = serializeConfig({}, 'x')
  let error: unknown
  try {
    withEnvMode(config, { REPLAYKIT_MODE: 'stric' })
  } catch (caught) {
    error = caught
  }
  expect(isReplayKitError(error) && error.code).toBe('RPK_BAD_CONFIG')
  expect((error as Error).message).toContain('REPLAYKIT_MODE is "stric"')
  expect((error as Error).message).toContain('record, strict, hybrid, live-compare')
  expect((error as Error).message).toContain('Did you mean "strict"')
})

const assertionCases: Case[] = [
  { options: { mdoe: 'hybrid' }, says: ['unknown option "mdoe"', 'Did you mean "mode"'] },
  {
    options: { mode: 'hybird' },
    says: ['mode', '"hybird"', 'record, strict, hybrid, live-compare', 'Did you mean "hybrid"'],
  },
  { options: { ignorePaths: 5 }, says: ['ignorePaths', '5', 'a list of strings'] },
  { options: { ignoreResponsePaths: ['$..'] }, says: ['toMatchReplay() options: ignoreResponsePaths', '"$.."'] },
  {
    options: { ignoreResponsePath: [] },
    says: ['unknown option "ignoreResponsePath"', 'Did you mean "ignoreResponsePaths"'],
  },
]

for (const { options, says } of assertionCases) {
  test(`toMatchReplay(${JSON.stringify(options)}) fails instead of ignoring the option`, () => {
    let error: unknown
    try {
      assertReplay({}, options as never, { root: '/', runner: 'vitest', color: false })
    } catch (caught) {
      error = caught
    }
    expect(isReplayKitError(error) && error.code).toBe('RPK_BAD_CONFIG')
    for (const fragment of says) expect((error as Error).message).toContain(fragment)
  })
}

test('reporter options are checked: a misspelt format is RPK_BAD_CONFIG', () => {
  let error: unknown
  try {
    checkReporterOptions({ reprot: 'json' }, 'reporter options')
  } catch (caught) {
    error = caught
  }
  expect(isReplayKitError(error) && error.code).toBe('RPK_BAD_CONFIG')
  expect((error as Error).message).toContain('unknown option "reprot"')
  expect((error as Error).message).toContain('Did you mean "report"')
  expect(() => checkReporterOptions({ report: 'html' }, 'reporter options')).toThrow(
    /report is "html".*summary, quiet, json/,
  )
})
