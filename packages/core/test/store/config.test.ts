import { describe, expect, test } from 'vitest'
import { captureDefaults, serializeConfig, withEnvMode } from '../../src/replay-matcher/config.js'

describe('plugin and preset options', () => {
  test('cross to the workers as JSON and come back as capture defaults', () => {
    const config = serializeConfig(
      {
        mode: 'hybrid',
        slowdown: { maxRatio: 2, minMs: 10 },
        ignorePaths: ['$.metadata.id'],
        ignoreResponsePaths: ['$.usage'],
        matchHeaders: ['X-Tenant'],
        redact: { paths: ['$.user.email'], patterns: [/acct_[0-9]+/g, 'tok_[a-z]+'] },
        report: 'json',
      },
      'here',
    )
    const json = JSON.parse(JSON.stringify(config))
    expect(json).toEqual(config)
    const defaults = captureDefaults(json)
    expect(defaults).toMatchObject({
      mode: 'hybrid',
      slowdown: { maxRatio: 2, minMs: 10 },
      ignorePaths: ['$.metadata.id'],
      ignoreResponsePaths: ['$.usage'],
      match: { headers: ['x-tenant'] },
    })
    expect(defaults.redact?.patterns?.map(String)).toEqual(['/acct_[0-9]+/g', '/tok_[a-z]+/g'])
    expect(config).toMatchObject({ report: 'json', reportFile: 'replaykit-report.json' })
  })

  test('bad options fail early, naming the option and the fix', () => {
    expect(() => serializeConfig({ mode: 'replay' as never }, 'replaykit()')).toThrow(
      /mode is "replay"[\s\S]*Fix: use one of: record, strict, hybrid, live-compare/,
    )
    expect(() => serializeConfig({ modes: 'strict' } as never, 'replaykit()')).toThrow(/unknown option "modes"/)
    expect(() => serializeConfig({ report: 'html' as never }, 'replaykit()')).toThrow(/report is "html"/)
    expect(() => serializeConfig({ slowdown: { maxRatio: 0 } }, 'replaykit()')).toThrow(/maxRatio is 0/)
    expect(() => serializeConfig({ redact: { policy: () => undefined } as never }, 'replaykit()')).toThrow(
      /redact.policy is a function/,
    )
  })

  test('REPLAYKIT_MODE (from `replaykit test --mode`) wins over the config', () => {
    const config = serializeConfig({ mode: 'strict' }, 'x')
    expect(withEnvMode(config, { REPLAYKIT_MODE: 'hybrid' }).mode).toBe('hybrid')
    expect(withEnvMode(config, {}).mode).toBe('strict')
    expect(() => withEnvMode(config, { REPLAYKIT_MODE: 'nope' })).toThrow(/REPLAYKIT_MODE/)
  })
})
